import type { Sample } from "@/lib/contracts/ingest";
import { parseIsoInstant } from "./json-batch";
import { connectionsProblem, describeUnknownOperator, describeUnknownSector, instantProblem, isOperatorSlug, isSectorSlug, type IngestClock } from "./samples";

/**
 * The MQTT way in. Topic `<prefix>/<operator>/<sector>/connections`; payload either a bare
 * number (`9512345`, measured at its arrival) or JSON `{ "connections": 9512345, "at": … }` with
 * `at` optional (ISO 8601 with offset, or epoch ms; absent: the arrival). A payload is at most
 * MAX_MQTT_PAYLOAD_BYTES.
 */
export const MAX_MQTT_PAYLOAD_BYTES = 1024;

export function mqttTopicFilter(prefix: string): string {
  return `${prefix}/+/+/connections`;
}

/** Why a message is not a sample: `malformed` when it cannot be read at all (topic or payload). */
export type MqttRefusal = { reason: string; malformed: boolean };

export function checkMqttMessage(topic: string, payload: Uint8Array, prefix: string, clock: IngestClock): { sample: Sample } | MqttRefusal {
  const malformed = (reason: string): MqttRefusal => ({ reason, malformed: true });
  const refused = (reason: string): MqttRefusal => ({ reason, malformed: false });
  if (!topic.startsWith(`${prefix}/`)) return malformed(`topic is not under ${prefix}/`);
  const levels = topic.slice(prefix.length + 1).split("/");
  if (levels.length !== 3 || levels[2] !== "connections") return malformed(`expected topic ${prefix}/<operator>/<sector>/connections`);
  const [operator = "", sector = ""] = levels;
  if (!isOperatorSlug(operator)) return refused(describeUnknownOperator(operator));
  if (!isSectorSlug(sector)) return refused(describeUnknownSector(sector));
  if (payload.byteLength > MAX_MQTT_PAYLOAD_BYTES) return malformed(`payload is larger than ${MAX_MQTT_PAYLOAD_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload).trim();
  } catch {
    return malformed("payload is not UTF-8 text");
  }
  let connections: unknown;
  let at: unknown;
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    connections = Number(text);
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return malformed('payload is neither a number nor JSON {"connections": n, "at"?: …}');
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) return malformed('expected JSON {"connections": n, "at"?: …}');
    ({ connections, at } = json as { connections?: unknown; at?: unknown });
  }
  if (typeof connections !== "number") return malformed("connections must be a number");
  const countProblem = connectionsProblem(connections);
  if (countProblem) return refused(countProblem);
  let atMs = clock.nowMs;
  if (typeof at === "number") {
    if (!Number.isSafeInteger(at)) return malformed(`at must be whole milliseconds since the epoch (got ${at})`);
    atMs = at;
  } else if (typeof at === "string") {
    const parsed = at.length <= 40 ? parseIsoInstant(at) : null;
    if (parsed === null) return malformed(`at ${JSON.stringify(at.slice(0, 40))} is not an ISO 8601 date-time with an offset nor epoch milliseconds`);
    atMs = parsed;
  } else if (at !== undefined && at !== null) {
    return malformed("at must be an ISO 8601 string or milliseconds since the epoch");
  }
  const windowProblem = instantProblem(atMs, clock);
  if (windowProblem) return refused(windowProblem);
  return { sample: { operator, sector, connections, atMs } };
}
