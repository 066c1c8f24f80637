import { z } from "zod";
import { ALERT_SEVERITIES, alertSchema } from "./alerts";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";

/** Where alerts go: docs/NOTIFICATIONS.md describes each kind's body and signature. */
export const CONTACT_POINT_KINDS = ["webhook", "wecom", "dingtalk", "feishu", "slack"] as const;
export type ContactPointKind = (typeof CONTACT_POINT_KINDS)[number];

export const NOTIFICATION_EVENTS = ["raised", "updated", "resolved", "test"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_STATES = ["pending", "sent", "dead"] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/** A day: a longer silence for a still-open alert would hide that it is still open. */
export const MAX_REPEAT_INTERVAL_SECONDS = 86_400;

const kindSchema = z.enum(CONTACT_POINT_KINDS, { error: `expected one of ${CONTACT_POINT_KINDS.join(", ")}` });

/**
 * Only http and https: anything else (file:, gopher:, data:…) is refused. Which host is the
 * operator's choice (an internal webhook receiver is a legitimate target); see docs/NOTIFICATIONS.md.
 */
export const contactPointUrlSchema = z
  .string({ error: "expected a URL" })
  .trim()
  .max(2000, "expected at most 2000 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  }, "expected an http:// or https:// URL without user:password");

const secretSchema = z.string().trim().min(1, "expected a non-empty secret").max(500, "expected at most 500 characters");

const routingShape = {
  operators: z.array(operatorSlugSchema).max(20).default([]),
  sectors: z.array(sectorSlugSchema).max(50).default([]),
  severities: z.array(z.enum(ALERT_SEVERITIES, { error: `expected one of ${ALERT_SEVERITIES.join(", ")}` })).max(3).default([]),
  /** Null: the server's NOTIFY_REPEAT_INTERVAL_SECONDS. */
  repeatIntervalSeconds: z
    .number({ error: "expected a number of seconds" })
    .int("expected whole seconds")
    .min(0, "expected at least 0 seconds")
    .max(MAX_REPEAT_INTERVAL_SECONDS, `expected at most ${MAX_REPEAT_INTERVAL_SECONDS} seconds`)
    .nullable()
    .default(null),
  enabled: z.boolean().default(true),
};

const nameSchema = z.string({ error: "expected a name" }).trim().min(1, "expected a name").max(80, "expected at most 80 characters");

/** Why a kind cannot have (or lack) a signing secret, or null when it is fine. */
export function secretProblem(kind: ContactPointKind, secret: string | null): string | null {
  if (kind === "webhook" && secret === null) return "secret: a webhook needs a signing secret";
  if ((kind === "wecom" || kind === "slack") && secret !== null) return `secret: ${kind} robots are not signed; the key is in the URL`;
  return null;
}

export const createContactPointSchema = z
  .object({
    name: nameSchema,
    kind: kindSchema,
    url: contactPointUrlSchema,
    /** The generic webhook's HMAC key, DingTalk's SEC… signing secret, Feishu's signing secret; none for WeCom and Slack. */
    secret: secretSchema.nullable().default(null),
    ...routingShape,
  })
  .strict()
  .superRefine((value, ctx) => {
    const problem = secretProblem(value.kind, value.secret);
    if (problem) ctx.addIssue({ code: "custom", path: ["secret"], message: problem });
  });
export type CreateContactPoint = z.output<typeof createContactPointSchema>;

/** Every field optional; an omitted url or secret keeps the stored one (they are never shown again). */
export const updateContactPointSchema = z
  .object({
    name: nameSchema.optional(),
    url: contactPointUrlSchema.optional(),
    secret: secretSchema.nullable().optional(),
    operators: routingShape.operators.optional(),
    sectors: routingShape.sectors.optional(),
    severities: routingShape.severities.optional(),
    repeatIntervalSeconds: routingShape.repeatIntervalSeconds.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "expected at least one field to change");
export type UpdateContactPoint = z.output<typeof updateContactPointSchema>;

/** What the API shows: the URL masked, the secret only as "there is one". */
export const contactPointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: kindSchema,
  urlMasked: z.string(),
  hasSecret: z.boolean(),
  operators: z.array(operatorSlugSchema),
  sectors: z.array(sectorSlugSchema),
  severities: z.array(z.enum(ALERT_SEVERITIES)),
  repeatIntervalSeconds: z.number().int().nullable(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ContactPoint = z.infer<typeof contactPointSchema>;

export const contactPointsResponseSchema = z.object({ contactPoints: z.array(contactPointSchema) });
export const contactPointResponseSchema = z.object({ contactPoint: contactPointSchema });

/** What a notification reports: the alert as it was at the change. */
export const notificationPayloadSchema = z.object({ alert: alertSchema });
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;

export const deliverySchema = z.object({
  id: z.string(),
  contactPointId: z.number().int(),
  contactPointName: z.string(),
  alertId: z.number().int().nullable(),
  event: z.enum(NOTIFICATION_EVENTS),
  state: z.enum(NOTIFICATION_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;
export const deliveriesResponseSchema = z.object({ deliveries: z.array(deliverySchema) });
export const deliveryResponseSchema = z.object({ delivery: deliverySchema });

export const deliveriesQuerySchema = z
  .object({
    state: z.enum(NOTIFICATION_STATES, { error: `expected one of ${NOTIFICATION_STATES.join(", ")}` }).optional(),
    limit: z.coerce.number({ error: "expected a number" }).int("expected a whole number").min(1, "expected at least 1").max(500, "expected at most 500").default(100),
  })
  .strict();

export const notificationIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, "expected a notification id");
