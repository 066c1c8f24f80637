"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { accountResponseSchema, MIN_PASSWORD_LENGTH } from "@/lib/contracts/accounts";
import { sendJson } from "@/lib/queries/fetch-json";

const input = "mt-1 block w-full rounded border border-panel-border bg-canvas px-2 py-1";

/** Changes the signed-in person's own password; every other session of the account ends. */
export function ChangePasswordForm({ next }: { next: string | null }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const router = useRouter();
  return (
    <form
      className="max-w-sm space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const newPassword = String(form.get("newPassword") ?? "");
        if (newPassword !== String(form.get("repeat") ?? "")) {
          setMessage({ ok: false, text: "The two new passwords differ." });
          return;
        }
        try {
          await sendJson("POST", "/api/account/password", { currentPassword: String(form.get("currentPassword") ?? ""), newPassword }, accountResponseSchema);
          formElement.reset();
          setMessage({ ok: true, text: "Password changed. Your other sessions have ended." });
          if (next) router.push(next);
          router.refresh();
        } catch (failure) {
          setMessage({ ok: false, text: failure instanceof Error ? failure.message : String(failure) });
        }
      }}
    >
      <label className="block text-sm">
        Current password
        <input name="currentPassword" type="password" required autoComplete="current-password" className={input} />
      </label>
      <label className="block text-sm">
        New password (at least {MIN_PASSWORD_LENGTH} characters)
        <input name="newPassword" type="password" required minLength={MIN_PASSWORD_LENGTH} maxLength={200} autoComplete="new-password" className={input} />
      </label>
      <label className="block text-sm">
        New password again
        <input name="repeat" type="password" required minLength={MIN_PASSWORD_LENGTH} maxLength={200} autoComplete="new-password" className={input} />
      </label>
      {message ? (
        <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "" : "text-warn"}`}>
          {message.text}
        </p>
      ) : null}
      <button type="submit" className="rounded bg-accent px-3 py-1 font-medium text-canvas">
        Change password
      </button>
    </form>
  );
}
