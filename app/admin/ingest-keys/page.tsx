import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { IngestKeysEditor } from "@/components/admin/ingest-keys-editor";
import { roleAllows } from "@/lib/auth/access";
import { pageAccount } from "@/lib/auth/page-account";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · ingest keys" };

/** The keys feeds write measured samples with; operators and admins only. */
export default async function IngestKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { lang } = parseDashboardView(await searchParams).view;
  const account = await pageAccount();
  if (!account || !roleAllows(account.role, "operator")) redirect(`/signin?next=${encodeURIComponent(`/admin/ingest-keys${lang === "en" ? "" : `?lang=${lang}`}`)}`);
  return (
    <AdminShell title={MESSAGES[lang].admin.ingestKeys.title} lang={lang} path="/admin/ingest-keys">
      <main>
        <IngestKeysEditor lang={lang} />
      </main>
    </AdminShell>
  );
}
