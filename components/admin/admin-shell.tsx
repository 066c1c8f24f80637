import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "./sign-out-button";

/** The operators' pages (dashboard tools): a plain header with the way around. English only. */
export function AdminShell({ title, children, signOut }: { title: string; children: ReactNode; signOut: boolean }) {
  return (
    <div data-theme="dark" className="min-h-screen bg-canvas text-ink">
      <div className="mx-auto max-w-6xl space-y-4 p-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold">{title}</h1>
          <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
            <Link className="underline-offset-4 hover:underline" href="/">Dashboard</Link>
            <Link className="underline-offset-4 hover:underline" href="/playlists">Playlists</Link>
            <Link className="underline-offset-4 hover:underline" href="/displays">Displays</Link>
            {signOut ? <SignOutButton /> : null}
          </nav>
        </header>
        {children}
      </div>
    </div>
  );
}
