"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { formatAge } from "@/lib/domain/format";
import { sendJson } from "@/lib/queries/fetch-json";
import { displaysQueryOptions } from "@/lib/queries/playlists";
import type { Language } from "@/lib/contracts/view";
import { MESSAGES } from "@/lib/i18n/messages";
import { TableHead } from "@/components/ui/table-head";

const megabytes = (bytes: number | null) => (bytes === null ? "—" : `${(bytes / 2 ** 20).toFixed(1)} MB`);

export function DisplaysTable({ lang }: { lang: Language }) {
  const text = MESSAGES[lang].admin.displays;
  const { data, error, dataUpdatedAt } = useQuery(displaysQueryOptions());
  const reload = useMutation({
    mutationFn: (id: string) => sendJson("POST", `/api/displays/${encodeURIComponent(id)}/reload`, undefined, z.object({ reloading: z.string() })),
  });
  if (error) return <p role="alert" className="text-warn">{error.message}</p>;
  const displays = data?.displays ?? [];
  if (displays.length === 0) return <p className="text-ink-muted">{text.none}</p>;
  // Ages are measured from when the list was fetched (it refreshes every 10 s).
  const now = dataUpdatedAt;
  return (
    <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
      <table className="w-full text-sm">
        <TableHead headings={[...text.columns, ""]} />
        <tbody>
          {displays.map((display) => (
            <tr key={display.id} data-display={display.id} className="border-t border-panel-border">
              <td className="px-3 py-2 font-mono text-xs" title={display.userAgent ?? undefined}>
                {display.id.slice(0, 10)}
              </td>
              <td className="px-3 py-2">
                {display.playlist ?? "—"}
                {display.viewTitle ? ` · ${display.viewTitle}` : ""}
                {display.viewIndex !== null ? ` (${display.viewIndex + 1})` : ""}
              </td>
              <td className="px-3 py-2" data-health={display.health}>
                {display.health === "ok" ? text.ok : text.silent}
                {display.connected ? "" : text.offline}
              </td>
              <td className="px-3 py-2">{text.ago(formatAge(now - Date.parse(display.lastSeenAt), lang))}</td>
              <td className="px-3 py-2 tabular-nums">{megabytes(display.jsHeapBytes)}</td>
              <td className="px-3 py-2 tabular-nums">{display.fps ?? "—"}</td>
              <td className="px-3 py-2 font-mono text-xs">{display.currentBuild ? text.current : `⚠ ${display.buildId ?? "?"}`}</td>
              <td className="px-3 py-2">
                <button
                  type="button"
                  disabled={!display.connected || reload.isPending}
                  onClick={() => reload.mutate(display.id)}
                  className="rounded border border-panel-border px-2 py-0.5 disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-accent"
                >
                  {text.reload}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {reload.error ? <p role="alert" className="p-3 text-sm text-warn">{reload.error.message}</p> : null}
    </div>
  );
}
