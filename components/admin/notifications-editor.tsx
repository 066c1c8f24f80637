"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ALERT_SEVERITIES, type AlertSeverity } from "@/lib/contracts/alerts";
import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import {
  CONTACT_POINT_KINDS,
  contactPointResponseSchema,
  deliveryResponseSchema,
  type ContactPoint,
  type ContactPointKind,
} from "@/lib/contracts/notifications";
import type { Language } from "@/lib/contracts/view";
import { MESSAGES } from "@/lib/i18n/messages";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { sendJson } from "@/lib/queries/fetch-json";
import { contactPointsQueryOptions, deliveriesQueryOptions } from "@/lib/queries/notifications";
import { TableHead } from "@/components/ui/table-head";

const field = "rounded border border-panel-border bg-canvas px-2 py-1 text-sm";
const button = "rounded border border-panel-border px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-40";

function toggle<T>(list: readonly T[], item: T, order: readonly T[]): T[] {
  const next = list.includes(item) ? list.filter((entry) => entry !== item) : [...list, item];
  return order.filter((entry) => next.includes(entry));
}

/** Operators manage where alerts are sent, try each contact point, and resend dead letters. */
export function NotificationsEditor({ lang }: { lang: Language }) {
  const text = MESSAGES[lang].admin.notifications;
  const severityText = MESSAGES[lang].alerts.severity;
  const queryClient = useQueryClient();
  const points = useQuery(contactPointsQueryOptions());
  const deliveries = useQuery(deliveriesQueryOptions());
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<ContactPoint | null>(null);
  const refresh = () => {
    setProblem(null);
    void queryClient.invalidateQueries({ queryKey: contactPointsQueryOptions().queryKey });
    void queryClient.invalidateQueries({ queryKey: deliveriesQueryOptions().queryKey });
  };
  const onError = (failure: Error) => setProblem(failure.message);

  const update = useMutation({
    mutationFn: ({ id, ...change }: { id: number; enabled: boolean }) => sendJson("PATCH", `/api/notifications/contact-points/${id}`, change, contactPointResponseSchema),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: number) => sendJson("DELETE", `/api/notifications/contact-points/${id}`, undefined, contactPointResponseSchema),
    onSuccess: refresh,
    onError,
  });
  const test = useMutation({
    mutationFn: (id: number) => sendJson("POST", `/api/notifications/contact-points/${id}/test`, undefined, deliveryResponseSchema),
    onSuccess: refresh,
    onError,
  });
  const retry = useMutation({
    mutationFn: (id: string) => sendJson("POST", `/api/notifications/deliveries/${id}/retry`, undefined, deliveryResponseSchema),
    onSuccess: refresh,
    onError,
  });

  const describeRules = (point: ContactPoint) =>
    [
      point.operators.length ? point.operators.map((slug) => operatorName(slug, lang)).join(", ") : text.all,
      point.sectors.length ? point.sectors.map((slug) => sectorName(slug, lang)).join(", ") : text.all,
      point.severities.length ? point.severities.map((severity) => severityText[severity]).join(", ") : text.all,
    ].join(" · ");

  const error = points.error ?? deliveries.error;
  return (
    <div className="space-y-6">
      <p className="text-sm text-ink-muted">{text.note}</p>
      {error ? <p role="alert" className="text-warn">{error.message}</p> : null}
      {problem ? <p role="alert" className="text-warn">{problem}</p> : null}

      <section aria-label={text.contactPoints} className="space-y-2">
        <h2 className="text-lg font-semibold">{text.contactPoints}</h2>
        {points.data && points.data.contactPoints.length === 0 ? <p className="text-sm text-ink-muted">{text.none}</p> : null}
        <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
          <table className="w-full text-sm">
            <TableHead headings={text.columns} />
            <tbody>
              {(points.data?.contactPoints ?? []).map((point) => (
                <tr key={point.id} data-contact-point={point.name} className="border-t border-panel-border align-top">
                  <td className="px-3 py-2 font-medium">{point.name}</td>
                  <td className="px-3 py-2">{text.kinds[point.kind] ?? point.kind}</td>
                  <td className="px-3 py-2 font-mono text-xs">{point.urlMasked}</td>
                  <td className="px-3 py-2">{describeRules(point)}</td>
                  <td className="px-3 py-2">{point.repeatIntervalSeconds === null ? text.defaultRepeat : text.seconds(point.repeatIntervalSeconds)}</td>
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={text.enabled(point.name)} checked={point.enabled} onChange={(event) => update.mutate({ id: point.id, enabled: event.target.checked })} />
                  </td>
                  <td className="space-x-2 whitespace-nowrap px-3 py-2 text-right">
                    <button type="button" className={button} onClick={() => test.mutate(point.id)}>
                      {text.sendTest}
                    </button>
                    <button type="button" className={button} onClick={() => setEditing(point)}>
                      {text.edit}
                    </button>
                    <button type="button" className={button} onClick={() => window.confirm(text.confirmRemove(point.name)) && remove.mutate(point.id)}>
                      {text.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {test.isSuccess ? <p role="status" className="text-sm text-ink-muted">{text.testQueued}</p> : null}
      </section>

      {/* Keyed by what is edited, so that switching to another contact point starts from its values. */}
      <ContactPointForm
        key={editing?.id ?? "new"}
        lang={lang}
        editing={editing}
        onDone={() => {
          setEditing(null);
          refresh();
        }}
        onCancel={() => setEditing(null)}
        onError={onError}
      />

      <section aria-label={text.deliveries} className="space-y-2">
        <h2 className="text-lg font-semibold">{text.deliveries}</h2>
        {deliveries.data && deliveries.data.deliveries.length === 0 ? <p className="text-sm text-ink-muted">{text.deliveriesNone}</p> : null}
        <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
          <table className="w-full text-sm">
            <TableHead headings={text.deliveryColumns} />
            <tbody>
              {(deliveries.data?.deliveries ?? []).map((delivery) => (
                <tr key={delivery.id} data-delivery={delivery.id} data-state={delivery.state} className="border-t border-panel-border align-top">
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{delivery.createdAt.replace("T", " ").slice(0, 19)}</td>
                  <td className="px-3 py-2">{delivery.contactPointName}</td>
                  <td className="px-3 py-2">{text.events[delivery.event] ?? delivery.event}</td>
                  <td className="px-3 py-2">{delivery.alertId === null ? "—" : `#${delivery.alertId}`}</td>
                  <td className={`px-3 py-2 ${delivery.state === "dead" ? "text-warn" : ""}`}>{text.states[delivery.state] ?? delivery.state}</td>
                  <td className="px-3 py-2 tabular-nums">{delivery.attempts}</td>
                  <td className="px-3 py-2 font-mono text-xs">{delivery.lastError ?? ""}</td>
                  <td className="px-3 py-2 text-right">
                    {delivery.state === "dead" ? (
                      <button type="button" className={button} onClick={() => retry.mutate(delivery.id)}>
                        {text.sendAgain}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/**
 * Adds a contact point, or changes `editing`: its kind stays, and an empty URL or secret keeps the
 * stored one (they are never shown again, so they cannot be pre-filled).
 */
function ContactPointForm({ lang, editing, onDone, onCancel, onError }: { lang: Language; editing: ContactPoint | null; onDone: () => void; onCancel: () => void; onError: (error: Error) => void }) {
  const text = MESSAGES[lang].admin.notifications;
  const severityText = MESSAGES[lang].alerts.severity;
  const [kind, setKind] = useState<ContactPointKind>(editing?.kind ?? "webhook");
  const [operators, setOperators] = useState<OperatorSlug[]>(editing?.operators ?? []);
  const [sectors, setSectors] = useState<SectorSlug[]>(editing?.sectors ?? []);
  const [severities, setSeverities] = useState<AlertSeverity[]>(editing?.severities ?? []);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      editing
        ? sendJson("PATCH", `/api/notifications/contact-points/${editing.id}`, body, contactPointResponseSchema)
        : sendJson("POST", "/api/notifications/contact-points", body, contactPointResponseSchema),
    onSuccess: onDone,
    onError,
  });
  const unsigned = kind === "wecom" || kind === "slack";
  const heading = editing ? text.editing(editing.name) : text.create;
  return (
    <form
      aria-label={heading}
      className="space-y-3 rounded-lg border border-panel-border bg-panel p-4 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        const formElement = event.currentTarget;
        const form = new FormData(formElement);
        const url = String(form.get("url") ?? "").trim();
        const secret = String(form.get("secret") ?? "").trim();
        const repeat = String(form.get("repeat") ?? "").trim();
        const rules = { name: String(form.get("name") ?? ""), operators, sectors, severities, repeatIntervalSeconds: repeat === "" ? null : Number(repeat) };
        save.mutate(
          editing
            ? { ...rules, ...(url === "" ? {} : { url }), ...(secret === "" ? {} : { secret }) }
            : { ...rules, kind, url, secret: unsigned || secret === "" ? null : secret },
          {
            onSuccess: () => {
              formElement.reset();
              setOperators([]);
              setSectors([]);
              setSeverities([]);
            },
          },
        );
      }}
    >
      <h2 className="text-lg font-semibold">{heading}</h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="block">
          {text.name}
          <input name="name" required maxLength={80} defaultValue={editing?.name} className={`mt-1 block ${field}`} />
        </label>
        <label className="block">
          {text.kind}
          <select name="kind" value={kind} disabled={editing !== null} onChange={(event) => setKind(event.target.value as ContactPointKind)} className={`mt-1 block ${field}`}>
            {CONTACT_POINT_KINDS.map((option) => (
              <option key={option} value={option}>
                {text.kinds[option] ?? option}
              </option>
            ))}
          </select>
        </label>
        <label className="block min-w-80 flex-1">
          {text.url}
          <input name="url" type="url" required={editing === null} placeholder={editing ? text.keep(editing.urlMasked) : undefined} maxLength={2000} autoComplete="off" className={`mt-1 block w-full ${field}`} />
        </label>
        <label className="block">
          {text.secret}
          <input name="secret" type="password" disabled={unsigned} required={kind === "webhook" && editing === null} placeholder={editing?.hasSecret ? text.keep("••••") : undefined} maxLength={500} autoComplete="new-password" className={`mt-1 block ${field}`} />
        </label>
        <label className="block">
          {text.repeat}
          <input name="repeat" type="number" min={0} max={86_400} defaultValue={editing?.repeatIntervalSeconds ?? undefined} className={`mt-1 block w-28 ${field}`} />
        </label>
      </div>
      <p className="text-xs text-ink-muted">{text.secretHint}</p>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-ink-muted">{text.operatorsLegend}</legend>
        {OPERATOR_SLUGS.map((slug) => (
          <label key={slug} className="flex items-center gap-1">
            <input type="checkbox" checked={operators.includes(slug)} onChange={() => setOperators(toggle(operators, slug, OPERATOR_SLUGS))} />
            {operatorName(slug, lang)}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-ink-muted">{text.sectorsLegend}</legend>
        {SECTOR_SLUGS.map((slug) => (
          <label key={slug} className="flex items-center gap-1">
            <input type="checkbox" checked={sectors.includes(slug)} onChange={() => setSectors(toggle(sectors, slug, SECTOR_SLUGS))} />
            {sectorName(slug, lang)}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-ink-muted">{text.severitiesLegend}</legend>
        {ALERT_SEVERITIES.map((severity) => (
          <label key={severity} className="flex items-center gap-1">
            <input type="checkbox" checked={severities.includes(severity)} onChange={() => setSeverities(toggle(severities, severity, ALERT_SEVERITIES))} />
            {severityText[severity]}
          </label>
        ))}
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" className="rounded bg-accent px-3 py-1 font-medium text-canvas">
          {editing ? text.save : text.create}
        </button>
        {editing ? (
          <button type="button" className={button} onClick={onCancel}>
            {text.cancel}
          </button>
        ) : null}
      </div>
    </form>
  );
}
