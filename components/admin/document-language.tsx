"use client";

import { useEffect } from "react";
import type { Language } from "@/lib/contracts/view";

/** The root layout cannot know the page's language (it is in the URL): set it on <html> here. */
export function DocumentLanguage({ lang }: { lang: Language }) {
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [lang]);
  return null;
}
