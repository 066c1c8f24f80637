"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { sendJson } from "@/lib/queries/fetch-json";
import type { Language } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";

export function SignInForm({ next, lang }: { next: string; lang: Language }) {
  const text = MESSAGES[lang].admin.signIn;
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const password = String(new FormData(event.currentTarget).get("password") ?? "");
        try {
          await sendJson("POST", "/api/session", { password }, z.object({ signedIn: z.literal(true) }));
          router.push(next);
          router.refresh();
        } catch (failure) {
          setError(failure instanceof Error ? failure.message : String(failure));
        }
      }}
    >
      <label className="block text-sm">
        {text.password}
        <input name="password" type="password" required autoComplete="current-password" className="mt-1 block w-full rounded border border-panel-border bg-canvas px-2 py-1" />
      </label>
      {error ? <p role="alert" className="text-sm text-warn">{error}</p> : null}
      <button type="submit" className="rounded bg-accent px-3 py-1 font-medium text-canvas">
        {text.submit}
      </button>
    </form>
  );
}
