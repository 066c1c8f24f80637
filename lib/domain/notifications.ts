import type { Alert, AlertSeverity } from "@/lib/contracts/alerts";
import { OPERATORS, SECTORS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { NotificationEvent } from "@/lib/contracts/notifications";

/**
 * Which alerts reach which contact point, when a repeat is held back, how long to wait before
 * the next try, and what the message says. Pure: lib/db and server/notifications do the I/O.
 */

export interface RoutingRules {
  /** Empty: every operator (likewise for sectors and severities). */
  operators: readonly OperatorSlug[];
  sectors: readonly SectorSlug[];
  severities: readonly AlertSeverity[];
}

/**
 * Whether an alert goes to a contact point with these rules. An operator-wide alert (no sector)
 * passes a sector rule, as it does the dashboard's sector filter: a drop across the whole operator
 * concerns every sector's team.
 */
export function routeMatches(rules: RoutingRules, alert: Pick<Alert, "operator" | "sector" | "severity">): boolean {
  if (rules.operators.length > 0 && !rules.operators.includes(alert.operator)) return false;
  if (rules.sectors.length > 0 && alert.sector !== null && !rules.sectors.includes(alert.sector)) return false;
  if (rules.severities.length > 0 && !rules.severities.includes(alert.severity)) return false;
  return true;
}

/**
 * Raised and resolved are always sent; an update of a still-open alert is held back while the
 * last message about that alert to that contact point is younger than the interval.
 */
export function isRepeatSuppressed(event: NotificationEvent, lastQueuedAtMs: number | null, nowMs: number, intervalSeconds: number): boolean {
  if (event !== "updated" || lastQueuedAtMs === null) return false;
  return nowMs - lastQueuedAtMs < intervalSeconds * 1000;
}

/**
 * Exponential backoff after the `attempt`-th failed try (1-based): base, 2·base, 4·base… capped
 * at `maxMs`, with up to a fifth added at random so that many rows failing together do not
 * all come back in the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential + exponential * 0.2 * random());
}

/**
 * What the API and the page show of a stored URL: scheme and host, then the last 4 characters of
 * the part that carries the key (the last query value, or else the last path segment), to tell two
 * robots apart, and only when that part is 16 characters or more, so that a short key is never
 * shown whole.
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const values = [...parsed.searchParams.values()];
    const keyPart = values.length > 0 ? values[values.length - 1]! : (parsed.pathname.split("/").pop() ?? "");
    return `${parsed.protocol}//${parsed.host}/…${keyPart.length >= 16 ? keyPart.slice(-4) : ""}`;
  } catch {
    return "…";
  }
}

export interface NotificationText {
  /** One line: what happened, where, how bad. */
  title: string;
  /** The lines under it: the alert's own sentence, the reading against the band, when. */
  lines: string[];
}

// Both languages in one message: the group robots post to rooms whose readers may read either.
const EVENT_WORDS: Record<NotificationEvent, string> = { raised: "RAISED 告警", updated: "WORSENED 加重", resolved: "RESOLVED 恢复", test: "TEST 测试" };

/** The message every kind renders in its own format. */
export function describeNotification(event: NotificationEvent, alert: Alert): NotificationText {
  const operator = OPERATORS[alert.operator];
  const sector = alert.sector ? SECTORS[alert.sector] : null;
  const where = `${operator.name} ${operator.nameZh}${sector ? ` / ${sector.name} ${sector.nameZh}` : ""}`;
  const title = `[${EVENT_WORDS[event]}] ${alert.severity} ${alert.kind} · ${where}`;
  const lines = [
    alert.message,
    `observed ${Math.round(alert.observed)}, expected ${Math.round(alert.expected)} (band ${Math.round(alert.expectedLow)}..${Math.round(alert.expectedHigh)})`,
    `raised ${alert.raisedAt}${alert.resolvedAt ? `, resolved ${alert.resolvedAt}` : ""} · alert #${alert.id} · ${alert.provenance}`,
  ];
  if (event === "test") lines.unshift("This is a test message from M2M Pulse: the contact point works.");
  return { title, lines };
}

/** The sample alert a "send test" reports. */
export function sampleAlert(nowMs: number): Alert {
  return {
    id: 0,
    raisedAt: new Date(nowMs).toISOString(),
    operator: "china-mobile",
    sector: "energy",
    kind: "drop",
    severity: "warning",
    observed: 900,
    expected: 1000,
    expectedLow: 950,
    expectedHigh: 1050,
    message: "Test alert: China Mobile energy connections 10% below the expected band",
    provenance: "simulated",
    resolvedAt: null,
  };
}
