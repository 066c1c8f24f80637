import type { Alert } from "@/lib/contracts/alerts";
import type { AlertEvent } from "./anomaly";

/** The detector's name for what an alert is about: "china-mobile:energy", or "china-mobile:*" for an operator's total. */
export function alertSubject(alert: Pick<Alert, "operator" | "sector">): string {
  return `${alert.operator}:${alert.sector ?? "*"}`;
}

export interface AdoptionPlan {
  /** Stored open alerts this node carries on (updates, resolves), by subject. */
  adopt: Map<string, Alert>;
  /** Stored open alerts nobody is watching any more: resolve them. */
  resolve: Alert[];
  /** Alerts this node's detector has open that were never stored (the holder died first): raise them. */
  raise: AlertEvent[];
}

/**
 * What a node taking over the singletons does with the alerts left open in the database. Every
 * node runs the detector on its own ticks (the simulator is a function of time), so the taker
 * already knows which subjects are out of band: a stored alert for one of those is adopted (the
 * same kind: it is the same alert), never raised again; a stored one its detector does not have
 * open is resolved; one only its detector has (raised in the seconds nobody held the lease, or
 * by a holder that died before storing it) is raised now, once.
 */
export function planAdoption(detectorOpen: ReadonlyMap<string, AlertEvent>, storedOpen: readonly Alert[]): AdoptionPlan {
  const adopt = new Map<string, Alert>();
  const resolve: Alert[] = [];
  // Newest first: should a subject have two open alerts (it never should), the newest is carried on.
  const newestFirst = [...storedOpen].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || b.id - a.id);
  for (const alert of newestFirst) {
    const subject = alertSubject(alert);
    const watched = detectorOpen.get(subject);
    if (watched && watched.kind === alert.kind && !adopt.has(subject)) adopt.set(subject, alert);
    else resolve.push(alert);
  }
  const raise = [...detectorOpen.entries()].filter(([subject]) => !adopt.has(subject)).map(([, event]) => event);
  return { adopt, resolve, raise };
}
