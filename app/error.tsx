"use client";

import { useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { MESSAGES } from "@/lib/i18n/messages";

/**
 * The last line of defence when a page itself fails (a panel's failure stays in its panel, see
 * components/panels/panel-boundary.tsx). `reset` renders the page again.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const messages = MESSAGES[useSearchParams().get("lang") === "zh" ? "zh" : "en"];
  useEffect(() => {
    console.warn("the page failed", error.digest ?? error.message);
  }, [error]);
  return (
    <div className="flex min-h-screen items-center justify-center bg-canvas p-6 text-ink">
      <div data-page-error role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-panel-border bg-panel p-6">
        <h1 className="text-xl font-semibold">{messages.title}</h1>
        <p className="text-ink-muted">{messages.page.failed}</p>
        <button type="button" onClick={reset} className="rounded border border-panel-border px-3 py-1 hover:bg-panel-border/40">
          {messages.page.retry}
        </button>
      </div>
    </div>
  );
}
