import "server-only";
import type { Alert } from "@/lib/contracts/alerts";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import {
  notificationPayloadSchema,
  secretProblem,
  type ContactPoint,
  type ContactPointKind,
  type CreateContactPoint,
  type Delivery,
  type NotificationEvent,
  type NotificationState,
  type UpdateContactPoint,
} from "@/lib/contracts/notifications";
import { isRepeatSuppressed, maskUrl, routeMatches, sampleAlert } from "@/lib/domain/notifications";
import { getEnv } from "@/lib/env";
import { db } from "./client";
import type { ContactPoint as ContactPointRow, Prisma } from "./generated/prisma/client";

/**
 * Contact points and the notification outbox. The secrets (url, secret) leave this module only
 * through `claimDueNotifications`, for the dispatcher that sends; everything else returns the
 * masked form.
 */

function toContactPoint(row: ContactPointRow): ContactPoint {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    urlMasked: maskUrl(row.url),
    hasSecret: row.secret !== null,
    // Only ever written from the contract's slug enums.
    operators: row.operators as OperatorSlug[],
    sectors: row.sectors as SectorSlug[],
    severities: row.severities,
    repeatIntervalSeconds: row.repeatIntervalSeconds,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listContactPoints(): Promise<ContactPoint[]> {
  const rows = await db().contactPoint.findMany({ orderBy: { id: "asc" } });
  return rows.map(toContactPoint);
}

export async function createContactPoint(input: CreateContactPoint): Promise<ContactPoint> {
  return toContactPoint(await db().contactPoint.create({ data: input }));
}

/** A change that would leave a contact point with a secret its kind cannot use (or without one it needs). */
export class ContactPointSecretError extends Error {
  override name = "ContactPointSecretError";
}

/** Null when there is no such contact point; ContactPointSecretError when the secret does not fit its kind. */
export async function updateContactPoint(id: number, change: UpdateContactPoint): Promise<ContactPoint | null> {
  return db().$transaction(async (tx) => {
    const current = await tx.contactPoint.findUnique({ where: { id } });
    if (!current) return null;
    const problem = secretProblem(current.kind, change.secret === undefined ? current.secret : change.secret);
    if (problem) throw new ContactPointSecretError(problem);
    return toContactPoint(await tx.contactPoint.update({ where: { id }, data: { ...change, updatedAt: new Date() } }));
  });
}

/** Removes a contact point and its outbox rows. Null when there is no such contact point. */
export async function deleteContactPoint(id: number): Promise<ContactPoint | null> {
  return db().$transaction(async (tx) => {
    const row = await tx.contactPoint.findUnique({ where: { id } });
    if (!row) return null;
    // deleteMany: a removal racing this one leaves nothing to delete rather than an error.
    await tx.contactPoint.deleteMany({ where: { id } });
    return toContactPoint(row);
  });
}

/**
 * Writes one outbox row per enabled contact point whose rules match `alert`, within `tx`, the
 * transaction that stores the alert change itself. An update of an open alert is skipped for a
 * contact point that was sent something about that alert within its repeat interval.
 */
export async function enqueueAlertNotifications(tx: Prisma.TransactionClient, event: Exclude<NotificationEvent, "test">, alert: Alert, nowMs = Date.now()): Promise<number> {
  const points = (await tx.contactPoint.findMany({ where: { enabled: true } })).filter((point) =>
    routeMatches({ operators: point.operators as OperatorSlug[], sectors: point.sectors as SectorSlug[], severities: point.severities }, alert),
  );
  if (points.length === 0) return 0;
  let recipients = points;
  if (event === "updated") {
    const last = await tx.notification.groupBy({
      by: ["contactPointId"],
      where: { alertId: alert.id, contactPointId: { in: points.map((point) => point.id) } },
      _max: { createdAt: true },
    });
    const lastAt = new Map(last.map((entry) => [entry.contactPointId, entry._max.createdAt?.getTime() ?? null]));
    const fallback = getEnv().NOTIFY_REPEAT_INTERVAL_SECONDS;
    recipients = points.filter((point) => !isRepeatSuppressed(event, lastAt.get(point.id) ?? null, nowMs, point.repeatIntervalSeconds ?? fallback));
  }
  if (recipients.length === 0) return 0;
  const payload = { alert } satisfies Prisma.InputJsonValue;
  const { count } = await tx.notification.createMany({
    data: recipients.map((point) => ({ contactPointId: point.id, alertId: alert.id, event, payload, createdAt: new Date(nowMs) })),
  });
  return count;
}

/** Queues a test message to one contact point (even a disabled one: testing it is how it gets enabled). Null when there is none. */
export async function enqueueTestNotification(contactPointId: number, nowMs = Date.now()): Promise<Delivery | null> {
  const point = await db().contactPoint.findUnique({ where: { id: contactPointId } });
  if (!point) return null;
  const row = await db().notification.create({
    data: { contactPointId, alertId: null, event: "test", payload: { alert: sampleAlert(nowMs) } },
    include: { contactPoint: { select: { name: true } } },
  });
  return toDelivery(row);
}

/** A claimed row, with what the dispatcher needs to send it. `attempts` counts this try. */
export interface ClaimedNotification {
  id: string;
  event: NotificationEvent;
  alert: Alert;
  attempts: number;
  contactPoint: { id: number; name: string; kind: ContactPointKind; url: string; secret: string | null };
}

/**
 * Claims up to `limit` due rows for this process, at most one per contact point and none for the
 * contact points in `busy` (those this process is already sending to), so that one contact point
 * that hangs cannot take every slot, and each contact point gets its messages one at a time.
 * Rows are locked with SKIP LOCKED, so two dispatchers never take the same row, and leased by
 * moving next_attempt_at `leaseMs` ahead, so a row whose sender died is tried again once the lease
 * runs out. The attempt is counted at the claim.
 */
export async function claimDueNotifications(limit: number, leaseMs: number, busy: readonly number[] = []): Promise<ClaimedNotification[]> {
  const rows = await db().$queryRaw<
    { id: bigint; event: string; payload: unknown; attempts: number; contact_point_id: number; name: string; kind: ContactPointKind; url: string; secret: string | null }[]
  >`
    WITH candidates AS (
      SELECT DISTINCT ON (contact_point_id) id FROM notification
       WHERE state = 'pending' AND next_attempt_at <= now() AND NOT (contact_point_id = ANY(${[...busy]}::integer[]))
       ORDER BY contact_point_id, next_attempt_at, id
    ), due AS (
      -- Locking re-checks the conditions against the row as it is now: a row another process
      -- has just claimed (its lease moved next_attempt_at) drops out here.
      SELECT id FROM notification
       WHERE id IN (SELECT id FROM candidates) AND state = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at, id
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE notification n
         SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
        FROM due
       WHERE n.id = due.id
      RETURNING n.id, n.event, n.payload, n.attempts, n.contact_point_id
    )
    SELECT claimed.id, claimed.event, claimed.payload, claimed.attempts, claimed.contact_point_id,
           cp.name, cp.kind::text AS kind, cp.url, cp.secret
      FROM claimed JOIN contact_point cp ON cp.id = claimed.contact_point_id
     ORDER BY claimed.id`;
  return rows.map((row) => ({
    id: row.id.toString(),
    event: row.event as NotificationEvent,
    alert: notificationPayloadSchema.parse(row.payload).alert,
    attempts: row.attempts,
    contactPoint: { id: row.contact_point_id, name: row.name, kind: row.kind, url: row.url, secret: row.secret },
  }));
}

export async function markNotificationSent(id: string): Promise<void> {
  await db().notification.update({ where: { id: BigInt(id) }, data: { state: "sent", sentAt: new Date(), lastError: null } });
}

/** Records a failed try: retried at `retryAtMs`, or dead-lettered when that is null. */
export async function markNotificationFailed(id: string, error: string, retryAtMs: number | null): Promise<void> {
  await db().notification.update({
    where: { id: BigInt(id) },
    data: retryAtMs === null ? { state: "dead", lastError: error.slice(0, 1000) } : { nextAttemptAt: new Date(retryAtMs), lastError: error.slice(0, 1000) },
  });
}

type DeliveryRow = Prisma.NotificationGetPayload<{ include: { contactPoint: { select: { name: true } } } }>;

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id.toString(),
    contactPointId: row.contactPointId,
    contactPointName: row.contactPoint.name,
    alertId: row.alertId,
    event: row.event as NotificationEvent,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** Newest first. */
export async function listDeliveries(query: { state?: NotificationState; limit: number }): Promise<Delivery[]> {
  const rows = await db().notification.findMany({
    where: query.state ? { state: query.state } : {},
    include: { contactPoint: { select: { name: true } } },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  return rows.map(toDelivery);
}

/**
 * "Send again": a dead letter goes back to the queue with a fresh retry budget. Null when there is
 * no such row; the row unchanged when it is not dead (a pending or sent one needs nothing).
 */
export async function retryDeadNotification(id: string): Promise<{ delivery: Delivery; requeued: boolean } | null> {
  // One transaction: the answer is the row as requeued. The update holds the row's lock until the
  // commit, so a dispatcher (FOR UPDATE SKIP LOCKED) cannot claim it between the update and the read.
  return db().$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { id: BigInt(id), state: "dead" },
      data: { state: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    const row = await tx.notification.findUnique({ where: { id: BigInt(id) }, include: { contactPoint: { select: { name: true } } } });
    return row ? { delivery: toDelivery(row), requeued: count > 0 } : null;
  });
}

/** Sent and dead rows older than `beforeMs`; pending ones are kept whatever their age. */
export async function pruneNotifications(beforeMs: number): Promise<number> {
  const { count } = await db().notification.deleteMany({ where: { state: { in: ["sent", "dead"] }, createdAt: { lt: new Date(beforeMs) } } });
  return count;
}
