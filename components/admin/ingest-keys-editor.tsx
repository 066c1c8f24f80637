"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { OPERATOR_SLUGS, type OperatorSlug } from "@/lib/contracts/catalog";
import { createdIngestKeySchema, ingestKeyResponseSchema, ingestKeysResponseSchema } from "@/lib/contracts/ingest";
import type { Language } from "@/lib/contracts/view";
import { MESSAGES } from "@/lib/i18n/messages";
import { operatorName } from "@/lib/i18n/names";
import { fetchJson, sendJson } from "@/lib/queries/fetch-json";
import { TableHead } from "@/components/ui/table-head";

const INGEST_KEYS_KEY = ["ingest-keys"] as const;
const field = "rounded border border-panel-border bg-canvas px-2 py-1 text-sm";
const button = "rounded border border-panel-border px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-40";
const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** Operators create ingest keys (the secret is shown once, here) and revoke them. */
export function IngestKeysEditor({ lang }: { lang: Language }) {
  const text = MESSAGES[lang].admin.ingestKeys;
  const queryClient = useQueryClient();
  const { data, error } = useQuery({ queryKey: INGEST_KEYS_KEY, queryFn: ({ signal }) => fetchJson("/api/ingest-keys", ingestKeysResponseSchema, signal) });
  const [label, setLabel] = useState("");
  const [operators, setOperators] = useState<OperatorSlug[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: INGEST_KEYS_KEY });
  const create = useMutation({
    mutationFn: () => sendJson("POST", "/api/ingest-keys", { label, operators }, createdIngestKeySchema),
    onSuccess: (created) => {
      setSecret(created.secret);
      setLabel("");
      setOperators([]);
      refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: number) => sendJson("DELETE", `/api/ingest-keys/${id}`, undefined, ingestKeyResponseSchema), onSuccess: refresh });
  const problem = error ?? create.error ?? revoke.error;

  return (
    <div className="space-y-4">
      <p className="text-sm text-ink-muted">{text.note}</p>
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-panel-border bg-panel p-4 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          setSecret(null);
          create.mutate();
        }}
      >
        <label className="block">
          {text.label}
          <input name="label" required maxLength={80} className={`mt-1 block ${field}`} value={label} placeholder={text.placeholder} onChange={(event) => setLabel(event.target.value)} />
        </label>
        <fieldset className="flex flex-wrap gap-3">
          <legend className="mb-1">{text.operatorsLegend}</legend>
          {OPERATOR_SLUGS.map((operator) => (
            <label key={operator} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={operators.includes(operator)}
                onChange={() => setOperators((current) => (current.includes(operator) ? current.filter((entry) => entry !== operator) : [...current, operator]))}
              />
              {operatorName(operator, lang)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className={button} disabled={!label.trim() || create.isPending}>
          {text.create}
        </button>
      </form>
      {secret ? (
        <p data-new-ingest-key className="break-all rounded border border-accent p-2 font-mono text-xs">
          {secret}
          <span className="mt-1 block font-sans text-ink-muted">{text.shownOnce}</span>
        </p>
      ) : null}
      {problem ? <p role="alert" className="text-sm text-warn">{problem.message}</p> : null}
      <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
        <table className="w-full text-sm">
          <TableHead headings={text.columns} />
          <tbody>
            {(data?.keys ?? []).map((key) => (
              <tr key={key.id} data-ingest-key={key.id} className="border-t border-panel-border">
                <td className="px-3 py-2">{key.label}</td>
                <td className="px-3 py-2">{key.operators.length ? key.operators.map((operator) => operatorName(operator, lang)).join(", ") : text.allOperators}</td>
                <td className="px-3 py-2 tabular-nums">
                  {when(key.createdAt)}
                  {key.createdBy ? ` · ${key.createdBy}` : ""}
                </td>
                <td className="px-3 py-2 tabular-nums">{key.lastUsedAt ? when(key.lastUsedAt) : text.never}</td>
                <td className="px-3 py-2">{key.revokedAt ? text.revoked(when(key.revokedAt)) : text.active}</td>
                <td className="px-3 py-2 text-right">
                  {key.revokedAt ? null : (
                    <button type="button" className={button} onClick={() => window.confirm(text.confirmRevoke(key.label)) && revoke.mutate(key.id)}>
                      {text.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.keys.length === 0 ? <p className="p-3 text-sm text-ink-muted">{text.none}</p> : null}
      </div>
    </div>
  );
}
