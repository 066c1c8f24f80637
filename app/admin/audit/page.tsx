import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { pageAccount } from "@/lib/auth/page-account";
import { auditQuerySchema } from "@/lib/contracts/accounts";
import { listAudit } from "@/lib/db/audit";
import { TableHead } from "@/components/ui/table-head";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · audit log" };

/** Every change and sign-in attempt, newest first; admins only. `?before=<id>` pages back. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await pageAccount();
  if (account?.role !== "admin") redirect("/signin?next=%2Fadmin%2Faudit");
  const before = (await searchParams).before;
  const query = auditQuerySchema.safeParse({ before: typeof before === "string" ? before : undefined });
  const { events, nextBefore } = await listAudit(query.success ? query.data : { limit: 100 });
  return (
    <AdminShell title="Audit log">
      <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
        <table className="w-full text-sm">
          <TableHead headings={["When (UTC)", "Who", "What", "Target", "From", "Detail"]} />
          <tbody>
            {events.map((event) => (
              <tr key={event.id} data-audit-action={event.action} className="border-t border-panel-border align-top">
                <td className="whitespace-nowrap px-3 py-2 tabular-nums">{event.at.replace("T", " ").slice(0, 19)}</td>
                <td className="px-3 py-2 font-mono">{event.username ?? "—"}</td>
                <td className="px-3 py-2">{event.action}</td>
                <td className="px-3 py-2">{event.target ?? ""}</td>
                <td className="px-3 py-2 font-mono text-xs">{event.address ?? ""}</td>
                <td className="px-3 py-2 font-mono text-xs">{event.detail === null ? "" : JSON.stringify(event.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBefore ? (
        <Link className="text-sm underline-offset-4 hover:underline" href={`/admin/audit?before=${nextBefore}`}>
          Older entries
        </Link>
      ) : null}
    </AdminShell>
  );
}
