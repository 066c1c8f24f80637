"use client";

import { useQuery } from "@tanstack/react-query";
import type { Alert } from "@/lib/contracts/alerts";
import { formatChangePct, formatCountShort, formatDateTime } from "@/lib/domain/format";
import { SEVERITY_COLORS } from "@/lib/domain/palette";
import type { Language } from "@/lib/contracts/view";
import type { Messages } from "@/lib/i18n/messages";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { alertsQueryOptions } from "@/lib/queries/alerts";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { LiveProvenanceBadge } from "./simulated-badge";
import { useContext } from "react";
import { Panel } from "@/components/ui/panel";
import { ProvenanceBadge } from "@/components/ui/provenance-badge";
import { PanelAge } from "./panel-age";
import { WallContext } from "@/components/providers/wall-context";
import { useView } from "@/components/providers/view-context";
import { useViewFilter } from "./use-view-data";

/** The alert in the reader's language, from its fields rather than the stored English sentence. */
export function describeAlertFor(alert: Alert, lang: Language, messages: Messages): string {
  const subject = `${operatorName(alert.operator, lang)} · ${alert.sector ? sectorName(alert.sector, lang) : messages.alerts.allSectors}`;
  return messages.alerts.describe(
    subject,
    formatCountShort(alert.observed, lang),
    formatChangePct((alert.observed - alert.expected) / alert.expected, lang),
    formatCountShort(alert.expected, lang),
  );
}

/**
 * Alerts of the view, newest first, with severity, time, operator and sector. A wall screen shows
 * the newest few that fit (`limit`); the dashboard the whole feed, scrolling.
 */
export function AlertsFeed({ limit }: { limit?: number }) {
  const { view, messages } = useView();
  const filter = useViewFilter();
  // The list scrolls once alerts pile up, so keyboard users must be able to focus it; a wall
  // has no keyboard users and no focusable element.
  const wall = useContext(WallContext);
  const feed = useQuery({ ...alertsQueryOptions(filter), throwOnError: throwWhenEmpty }).data?.alerts ?? [];
  const alerts = limit === undefined ? feed : feed.slice(0, limit);
  return (
    <Panel
      age={<PanelAge />}
      id="alerts"
      title={messages.alerts.heading}
      badge={<LiveProvenanceBadge />}
    >
      {alerts.length === 0 ? (
        <p className="text-sm text-ink-muted">{messages.alerts.none}</p>
      ) : (
        <ol className="max-h-96 space-y-2 overflow-y-auto pr-1 wall:max-h-[40vh]" aria-label={messages.alerts.heading} tabIndex={wall ? undefined : 0}>
          {alerts.map((alert) => (
            <li
              key={alert.id}
              data-alert={alert.id}
              data-severity={alert.severity}
              className="rounded-md border-l-4 border-panel-border bg-canvas/40 p-2 text-sm"
              style={{ borderLeftColor: SEVERITY_COLORS[alert.severity] }}
            >
              <div className="flex flex-wrap items-center gap-x-2 text-xs text-ink-muted">
                <span className="font-semibold uppercase tracking-wide text-ink">{messages.alerts.severity[alert.severity]}</span>
                <time dateTime={alert.raisedAt}>{formatDateTime(Date.parse(alert.raisedAt), view.lang)}</time>
                <span>{alert.resolvedAt ? messages.alerts.resolved : messages.alerts.active}</span>
                {/* The data the alert was raised on. */}
                <ProvenanceBadge
                  provenance={alert.provenance}
                  label={messages.provenance[alert.provenance]}
                  title={alert.provenance === "measured" ? messages.provenance.measuredNote : messages.provenance.simulatedNote}
                />
              </div>
              <p className="mt-0.5">{describeAlertFor(alert, view.lang, messages)}</p>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
