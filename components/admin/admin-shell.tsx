import Link from "next/link";
import type { ReactNode } from "react";
import { LANGUAGES, withLang, type Language } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";
import { DocumentLanguage } from "./document-language";
import { SignOutButton } from "./sign-out-button";

/** The operators' pages (dashboard tools): a plain header with the way around and the language switch. */
export function AdminShell({ title, children, signOut, lang, path }: { title: string; children: ReactNode; signOut: boolean; lang: Language; path: string }) {
  const text = MESSAGES[lang].admin.nav;
  return (
    <div data-theme="dark" className="min-h-screen bg-canvas text-ink">
      <DocumentLanguage lang={lang} />
      <div className="mx-auto max-w-6xl space-y-4 p-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold">{title}</h1>
          <nav aria-label={text.label} className="flex flex-wrap items-center gap-4 text-sm">
            <Link className="underline-offset-4 hover:underline" href={withLang("/", lang)}>{text.dashboard}</Link>
            <Link className="underline-offset-4 hover:underline" href={withLang("/playlists", lang)}>{text.playlists}</Link>
            <Link className="underline-offset-4 hover:underline" href={withLang("/displays", lang)}>{text.displays}</Link>
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
            {signOut ? <SignOutButton label={text.signOut} signInPath={withLang("/signin", lang)} /> : null}
          </nav>
        </header>
        {children}
      </div>
    </div>
  );
}
