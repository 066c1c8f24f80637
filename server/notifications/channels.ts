import { createHmac } from "node:crypto";
import type { Alert } from "@/lib/contracts/alerts";
import type { ContactPointKind, NotificationEvent } from "@/lib/contracts/notifications";
import { describeNotification } from "@/lib/domain/notifications";

/**
 * How each kind of contact point is addressed: the exact body, headers and signature its service
 * documents (docs/NOTIFICATIONS.md; the unit tests pin each signature against the services'
 * published algorithm and sample code).
 */

export interface ContactPointTarget {
  kind: ContactPointKind;
  url: string;
  secret: string | null;
}

export interface OutgoingMessage {
  /** The outbox row's id: the generic webhook sends it so that a receiver can drop a repeat. */
  id: string;
  event: NotificationEvent;
  alert: Alert;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNATURE_HEADER = "x-pulse-signature-256";
export const DELIVERY_HEADER = "x-pulse-delivery";
export const EVENT_HEADER = "x-pulse-event";

/** Generic webhook: `sha256=` and the hex HMAC-SHA256 of the exact body bytes, keyed with the contact point's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * DingTalk (钉钉) robot "加签": HmacSHA256 keyed with the secret over `${timestamp}\n${secret}`,
 * Base64, then URL-encoded; `timestamp` in milliseconds.
 */
export function dingTalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
  return encodeURIComponent(digest);
}

/**
 * Feishu/Lark (飞书) custom bot "签名校验": HmacSHA256 keyed with `${timestamp}\n${secret}` over an
 * empty message, Base64; `timestamp` in seconds, both sent in the body.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

// WeCom's markdown content is limited to 4096 bytes; DingTalk and Feishu accept about 20 000.
const MAX_TEXT_CHARS = 1500;
const clip = (text: string) => (text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 1)}…` : text);

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** The HTTP request that delivers `message` to `target` at `nowMs`. */
export function buildRequest(target: ContactPointTarget, message: OutgoingMessage, nowMs: number): OutgoingRequest {
  const text = describeNotification(message.event, message.alert);
  const plain = clip([text.title, ...text.lines].join("\n"));
  switch (target.kind) {
    case "webhook": {
      const body = JSON.stringify({
        version: 1,
        id: message.id,
        event: message.event,
        sentAt: new Date(nowMs).toISOString(),
        title: text.title,
        text: text.lines.join("\n"),
        alert: message.alert,
      });
      return {
        url: target.url,
        headers: { ...JSON_HEADERS, [SIGNATURE_HEADER]: webhookSignature(target.secret ?? "", body), [DELIVERY_HEADER]: message.id, [EVENT_HEADER]: message.event },
        body,
      };
    }
    case "wecom":
      return {
        url: target.url,
        headers: JSON_HEADERS,
        body: JSON.stringify({ msgtype: "markdown", markdown: { content: clip(`**${text.title}**\n${text.lines.map((line) => `> ${line}`).join("\n")}`) } }),
      };
    case "dingtalk": {
      const url = target.secret ? `${target.url}${target.url.includes("?") ? "&" : "?"}timestamp=${nowMs}&sign=${dingTalkSign(target.secret, nowMs)}` : target.url;
      return {
        url,
        headers: JSON_HEADERS,
        body: JSON.stringify({ msgtype: "markdown", markdown: { title: text.title, text: clip(`### ${text.title}\n\n${text.lines.join("\n\n")}`) } }),
      };
    }
    case "feishu": {
      const seconds = Math.floor(nowMs / 1000);
      const signed = target.secret ? { timestamp: String(seconds), sign: feishuSign(target.secret, seconds) } : {};
      return { url: target.url, headers: JSON_HEADERS, body: JSON.stringify({ ...signed, msg_type: "text", content: { text: plain } }) };
    }
    case "slack":
      return {
        url: target.url,
        headers: JSON_HEADERS,
        body: JSON.stringify({ text: plain, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(`*${text.title}*\n${text.lines.join("\n")}`) } }] }),
      };
  }
}

/**
 * Whether an answer means "delivered". The robots answer 200 even when they refuse (bad
 * signature, keyword missing, rate limit) and say so in the body: WeCom and DingTalk with a
 * non-zero `errcode`, Feishu with a non-zero `code`. Returns the reason for a refusal, or null.
 */
export function refusalOf(kind: ContactPointKind, status: number, body: string): string | null {
  if (status < 200 || status > 299) return `answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  if (kind !== "wecom" && kind !== "dingtalk" && kind !== "feishu") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  const code = kind === "feishu" ? (record.code ?? record.StatusCode) : record.errcode;
  if (code === undefined || code === 0) return null;
  const why = kind === "feishu" ? record.msg : record.errmsg;
  return `refused with code ${String(code)}${typeof why === "string" ? `: ${why.slice(0, 200)}` : ""}`;
}
