import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { ChangePasswordForm } from "@/components/admin/change-password-form";
import { pageAccount } from "@/lib/auth/page-account";
import { localPath } from "@/lib/auth/access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · your account" };

/** Everyone's own page: change the password (a generated one-time password must be changed here first). */
export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await pageAccount();
  if (!account) redirect("/signin?next=%2Faccount");
  const next = (await searchParams).next;
  const target = localPath(next);
  return (
    <AdminShell title="Your account">
      <p className="text-sm text-ink-muted">
        Signed in as <strong>{account.username}</strong> ({account.role}).
      </p>
      {account.mustChangePassword ? (
        <p role="alert" className="text-warn">
          This account still has its one-time password. Choose your own before making any change.
        </p>
      ) : null}
      <ChangePasswordForm next={account.mustChangePassword ? target : null} />
    </AdminShell>
  );
}
