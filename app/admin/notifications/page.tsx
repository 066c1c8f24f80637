import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { NotificationsEditor } from "@/components/admin/notifications-editor";
import { roleAllows } from "@/lib/auth/access";
import { pageAccount } from "@/lib/auth/page-account";
import { parseDashboardView, withLang } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · notifications" };

/** Contact points, recent notifications and dead letters; operators and admins (the access gate refuses others; checked again here). */
export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { lang } = parseDashboardView(await searchParams).view;
  const account = await pageAccount();
  if (!account || !roleAllows(account.role, "operator")) redirect(`/signin?next=${encodeURIComponent(withLang("/admin/notifications", lang))}`);
  return (
    <AdminShell title={MESSAGES[lang].admin.notifications.title} lang={lang} path="/admin/notifications">
      <NotificationsEditor lang={lang} />
    </AdminShell>
  );
}
