import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AccountsEditor } from "@/components/admin/accounts-editor";
import { AdminShell } from "@/components/admin/admin-shell";
import { pageAccount } from "@/lib/auth/page-account";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · accounts" };

/** Admins only (the access gate refuses others; checked again here). */
export default async function AccountsPage() {
  const account = await pageAccount();
  if (account?.role !== "admin") redirect("/signin?next=%2Fadmin%2Faccounts");
  return (
    <AdminShell title="Accounts">
      <p className="text-sm text-ink-muted">
        Admins manage accounts and read the audit log; operators change playlists, display tokens, displays and incidents; viewers only look.
      </p>
      <AccountsEditor self={account.username} />
    </AdminShell>
  );
}
