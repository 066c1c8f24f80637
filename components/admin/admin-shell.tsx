import Link from "next/link";
import type { ReactNode } from "react";
import { pageAccount } from "@/lib/auth/page-account";
import { SignOutButton } from "./sign-out-button";

const link = "underline-offset-4 hover:underline";

/**
 * The operators' pages (dashboard tools): a plain header with the way around and who is signed in.
 * English only. (`signOut` is no longer needed: the header shows sign-out whenever someone is signed in.)
 */
export async function AdminShell({ title, children }: { title: string; children: ReactNode; signOut?: boolean }) {
  const account = await pageAccount();
  return (
    <div data-theme="dark" className="min-h-screen bg-canvas text-ink">
      <div className="mx-auto max-w-6xl space-y-4 p-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold">{title}</h1>
          <nav aria-label="Pages" className="flex flex-wrap items-center gap-4 text-sm">
            <Link className={link} href="/">Dashboard</Link>
            <Link className={link} href="/playlists">Playlists</Link>
            <Link className={link} href="/displays">Displays</Link>
            {account?.role === "admin" ? (
              <>
                <Link className={link} href="/admin/accounts">Accounts</Link>
                <Link className={link} href="/admin/audit">Audit log</Link>
              </>
            ) : null}
            {account ? (
              <>
                <Link className={link} href="/account" data-signed-in-as={account.username}>
                  {account.username} ({account.role})
                </Link>
                <SignOutButton />
              </>
            ) : (
              <Link className={link} href="/signin">Sign in to make changes</Link>
            )}
          </nav>
        </header>
        {children}
      </div>
    </div>
  );
}
