import type { Alert } from "@/lib/contracts/alerts";
import { OPERATORS, SECTORS } from "@/lib/contracts/catalog";
import { planAdoption } from "@/lib/domain/alert-adoption";
import { AnomalyDetector, describeAlert, type AlertEvent } from "@/lib/domain/anomaly";
import type { NewAlert } from "@/lib/db/alerts";
import { createLogger } from "@/lib/logger";
import type { FullTick, TickSource } from "./tick-source";

const log = createLogger("alerts");

export type AlertChange = "raised" | "updated" | "resolved";

export interface AlertStore {
  insert(alert: NewAlert): Promise<Alert>;
  update(id: number, change: Partial<Alert>): Promise<Alert>;
  /** Alerts stored as open: what a node taking over the singletons adopts. */
  findOpen(): Promise<Alert[]>;
  /** Resolves every open alert but the adopted ones; the alerts it resolved. */
  resolveOrphaned(atMs: number, adopted: readonly number[]): Promise<Alert[]>;
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
 *
 * Every node of a cluster runs the detector on its own ticks, but only the holder of the
 * singletons' lease stores and publishes (between `lead` and `follow`): the others only keep
 * the detector's state, so that the one taking over knows which alerts are open and adopts them
 * (lib/domain/alert-adoption.ts) instead of raising them a second time.
 */
export class AlertService {
  private readonly detector = new AnomalyDetector();
  private readonly chains = new Map<string, Promise<Alert | undefined>>();
  /** What the detector has open, by subject: its raise, with the latest severity and reading. */
  private readonly open = new Map<string, AlertEvent>();
  /** Stored alerts adopted at the last `lead`, until the first event of their subject takes them. */
  private readonly adopted = new Map<string, Promise<Alert | undefined>>();
  private adoption: Promise<void> = Promise.resolve();
  private leading = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: TickSource,
    private readonly store: AlertStore,
    private readonly publish: (change: AlertChange, alert: Alert) => void,
  ) {}

  start(): void {
    this.unsubscribe = this.source.onTick((tick) => this.evaluate(tick));
  }

  /**
   * From now on alerts are stored and published here. First the alerts left open in the
   * database are reconciled with what the detector has open: adopted, resolved, or raised once.
   * Resolves when that is done.
   */
  lead(): Promise<void> {
    if (this.leading) return this.adoption;
    this.leading = true;
    const detectorOpen = new Map(this.open);
    this.adoption = (async () => {
      const plan = planAdoption(detectorOpen, await withRetries("reading open alerts", () => this.store.findOpen()));
      for (const [subject, alert] of plan.adopt) this.adopted.set(subject, Promise.resolve(alert));
      const resolved = await withRetries("resolving orphaned alerts", () =>
        this.store.resolveOrphaned(this.source.currentInstant(), [...plan.adopt.values()].map((alert) => alert.id)),
      );
      // Screens still show these as open (the last holder raised them): tell them, as any resolution.
      for (const alert of resolved) this.publish("resolved", alert);
      for (const event of plan.raise) {
        this.adopted.set(
          event.subject,
          this.apply(event, undefined).catch((error: unknown) => {
            log.error("alert could not be stored", { subject: event.subject, error: error instanceof Error ? error.message : String(error) });
            return undefined;
          }),
        );
      }
      if (plan.adopt.size + resolved.length + plan.raise.length > 0) {
        log.info("took over the open alerts", { adopted: plan.adopt.size, resolved: resolved.length, raised: plan.raise.length });
      }
    })().catch((error: unknown) => {
      log.error("could not take over the open alerts", { error: error instanceof Error ? error.message : String(error) });
    });
    return this.adoption;
  }

  /** Another node stores and publishes alerts now: only the detector's state is kept here. */
  follow(): void {
    this.leading = false;
    this.chains.clear();
    this.adopted.clear();
  }

  private track(event: AlertEvent): void {
    if (event.type === "resolved") this.open.delete(event.subject);
    else {
      const raised = this.open.get(event.subject);
      this.open.set(event.subject, raised ? { ...event, type: "raised", atMs: raised.atMs } : event);
    }
  }

  /** The stored alert of a subject as the previous event left it, or as the takeover adopted it. */
  private previous(subject: string): Promise<Alert | undefined> {
    return (
      this.chains.get(subject) ??
      this.adoption.then(() => {
        const adopted = this.adopted.get(subject);
        this.adopted.delete(subject);
        return adopted;
      })
    );
  }

  private evaluate(tick: FullTick): void {
    const events = this.detector.evaluate(tick.instantMs, tick.values, this.source.expectedAt(tick.instantMs), tick.provenance);
    for (const event of events) {
      this.track(event);
      if (!this.leading) continue;
      const next = this.previous(event.subject)
        .then((alert) => this.apply(event, alert))
        .catch((error: unknown) => {
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
    await this.adoption;
    await Promise.all([...this.chains.values(), ...this.adopted.values()]);
  }
}
