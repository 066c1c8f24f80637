"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sessionStateSchema } from "@/lib/contracts/accounts";
import type { Language } from "@/lib/contracts/view";
import { MESSAGES } from "@/lib/i18n/messages";
import { sendJson } from "@/lib/queries/fetch-json";

export function SignInForm({ next, lang }: { next: string; lang: Language }) {
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const text = MESSAGES[lang].admin.signIn;
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const credentials = { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") };
        try {
          const { account } = await sendJson("POST", "/api/session", credentials, sessionStateSchema);
          // A one-time password is replaced before anything else.
          router.push(account?.mustChangePassword ? `/account?next=${encodeURIComponent(next)}` : next);
          router.refresh();
        } catch (failure) {
          setError(`${text.failed}: ${failure instanceof Error ? failure.message : String(failure)}`);
        }
      }}
    >
      <label className="block text-sm">
        {text.username}
        <input name="username" type="text" required autoComplete="username" autoCapitalize="none" spellCheck={false} maxLength={40} className="mt-1 block w-full rounded border border-panel-border bg-canvas px-2 py-1" />
      </label>
      <label className="block text-sm">
        {text.password}
        <input name="password" type="password" required autoComplete="current-password" maxLength={200} className="mt-1 block w-full rounded border border-panel-border bg-canvas px-2 py-1" />
      </label>
      {error ? <p role="alert" className="text-sm text-warn">{error}</p> : null}
      <button type="submit" className="rounded bg-accent px-3 py-1 font-medium text-canvas">
        {text.submit}
      </button>
    </form>
  );
}
