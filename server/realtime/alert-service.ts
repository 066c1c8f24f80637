import type { Alert } from "@/lib/contracts/alerts";
import { OPERATORS, SECTORS } from "@/lib/contracts/catalog";
import { AnomalyDetector, describeAlert, type AlertEvent } from "@/lib/domain/anomaly";
import type { NewAlert } from "@/lib/db/alerts";
import { createLogger } from "@/lib/logger";
import type { FullTick, TickSource } from "./tick-source";

const log = createLogger("alerts");

export type AlertChange = "raised" | "updated" | "resolved";

export interface AlertStore {
  insert(alert: NewAlert): Promise<Alert>;
  update(id: number, change: Partial<Alert>): Promise<Alert>;
}

const RETRIES = 3;

async function withRetries<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= RETRIES) throw error;
      log.warn(`${what} failed; retrying`, { tries, error: error instanceof Error ? error.message : String(error) });
      await new Promise((resolve) => setTimeout(resolve, 500 * tries));
    }
  }
}

/**
 * Runs the anomaly detector on every tick, stores what it finds and tells the screens.
 * Changes to one alert are applied in order (raise, then worsen, then resolve), each after
 * the previous one is stored, so a screen never sees an update for an alert it does not know.
 */
export class AlertService {
  private readonly detector = new AnomalyDetector();
  private readonly chains = new Map<string, Promise<Alert | undefined>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: TickSource,
    private readonly store: AlertStore,
    private readonly publish: (change: AlertChange, alert: Alert) => void,
  ) {}

  start(): void {
    this.unsubscribe = this.source.onTick((tick) => this.evaluate(tick));
  }

  private evaluate(tick: FullTick): void {
    const events = this.detector.evaluate(tick.instantMs, tick.values, this.source.expectedAt(tick.instantMs), tick.provenance);
    for (const event of events) {
      const previous = this.chains.get(event.subject) ?? Promise.resolve(undefined);
      const next = previous.then((alert) => this.apply(event, alert)).catch((error: unknown) => {
        log.error("alert could not be stored", { subject: event.subject, error: error instanceof Error ? error.message : String(error) });
        return undefined;
      });
      if (event.type === "resolved") {
        // Forget the subject once its resolution is stored, so the map holds only open alerts.
        void next.finally(() => {
          if (this.chains.get(event.subject) === next) this.chains.delete(event.subject);
        });
      }
      this.chains.set(event.subject, next);
    }
  }

  /** One line per raised, escalated or resolved alert: what, where, and the value against the expected band. */
  private logEvent(event: AlertEvent, alert: Alert): void {
    const deviation = event.expected === 0 ? 0 : (event.observed - event.expected) / event.expected;
    log.info(`alert ${event.type}`, {
      id: alert.id,
      operator: event.operator,
      sector: event.sector ?? "all",
      kind: event.kind,
      severity: event.severity,
      observed: Math.round(event.observed),
      expected: Math.round(event.expected),
      band: `${Math.round(event.expectedLow)}..${Math.round(event.expectedHigh)}`,
      deviation: `${deviation >= 0 ? "+" : ""}${(deviation * 100).toFixed(1)}%`,
      provenance: event.provenance,
    });
  }

  private async apply(event: AlertEvent, alert: Alert | undefined): Promise<Alert | undefined> {
    const message = describeAlert(event, {
      operator: OPERATORS[event.operator].name,
      sector: event.sector ? SECTORS[event.sector].name : null,
    });
    if (event.type === "raised") {
      const stored = await withRetries("storing an alert", () =>
        this.store.insert({
          raisedAt: new Date(event.atMs).toISOString(),
          operator: event.operator,
          sector: event.sector,
          kind: event.kind,
          severity: event.severity,
          observed: event.observed,
          expected: event.expected,
          expectedLow: event.expectedLow,
          expectedHigh: event.expectedHigh,
          message,
          provenance: event.provenance,
        }),
      );
      this.logEvent(event, stored);
      this.publish("raised", stored);
      return stored;
    }
    if (!alert) return undefined;
    const change: Partial<Alert> =
      event.type === "escalated"
        ? { severity: event.severity, observed: event.observed, expected: event.expected, expectedLow: event.expectedLow, expectedHigh: event.expectedHigh, message }
        : { resolvedAt: new Date(event.atMs).toISOString() };
    const stored = await withRetries("updating an alert", () => this.store.update(alert.id, change));
    this.logEvent(event, stored);
    this.publish(event.type === "escalated" ? "updated" : "resolved", stored);
    return stored;
  }

  /** Stops evaluating and waits for every pending write. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.chains.values());
  }
}
