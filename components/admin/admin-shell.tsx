import Link from "next/link";
import type { ReactNode } from "react";
import { pageAccount } from "@/lib/auth/page-account";
import { LANGUAGES, type Language } from "@/lib/contracts/view";
import { withLang } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";
import { DocumentLanguage } from "./document-language";
import { SignOutButton } from "./sign-out-button";

const link = "underline-offset-4 hover:underline";

/**
 * The operators' pages: a plain header with the way around, who is signed in, and the language
 * switch (`path` is this page, so the switch keeps the reader where they are; pages not yet
 * translated — accounts, audit log, own account — pass none and show no switch).
 */
export async function AdminShell({ title, children, lang = "en", path }: { title: string; children: ReactNode; lang?: Language; path?: string }) {
  const account = await pageAccount();
  const text = MESSAGES[lang].admin.nav;
  return (
    <div data-theme="dark" className="min-h-screen bg-canvas text-ink">
      <DocumentLanguage lang={lang} />
      <div className="mx-auto max-w-6xl space-y-4 p-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold">{title}</h1>
          <nav aria-label={text.label} className="flex flex-wrap items-center gap-4 text-sm">
            <Link className={link} href={withLang("/", lang)}>{text.dashboard}</Link>
            <Link className={link} href={withLang("/playlists", lang)}>{text.playlists}</Link>
            <Link className={link} href={withLang("/displays", lang)}>{text.displays}</Link>
            {account && account.role !== "viewer" ? (
              <Link className={link} href={withLang("/admin/notifications", lang)}>{text.notifications}</Link>
            ) : null}
            {account?.role === "admin" ? (
              <>
                <Link className={link} href="/admin/accounts">{text.accounts}</Link>
                <Link className={link} href="/admin/audit">{text.audit}</Link>
              </>
            ) : null}
            {path === undefined ? null : (
            <span role="group" aria-label={text.language} className="flex gap-2">
              {LANGUAGES.map((option) => (
                <Link
                  key={option}
                  lang={option}
                  aria-current={option === lang ? "true" : undefined}
                  className="text-ink-muted underline-offset-4 hover:underline aria-[current]:text-ink aria-[current]:font-semibold"
                  href={withLang(path, option)}
                >
                  {option === "en" ? "English" : "中文"}
                </Link>
              ))}
            </span>
            )}
            {account ? (
              <>
                <Link className={link} href="/account" data-signed-in-as={account.username}>
                  {account.username} ({account.role})
                </Link>
                <SignOutButton label={text.signOut} signInPath={withLang("/signin", lang)} />
              </>
            ) : (
              <Link className={link} href={withLang("/signin", lang)}>{text.signIn}</Link>
            )}
          </nav>
        </header>
        {children}
      </div>
    </div>
  );
}
