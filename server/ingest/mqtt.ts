import { hostname } from "node:os";
import mqtt, { type IPublishPacket, type MqttClient } from "mqtt";
import { checkMqttMessage, mqttTopicFilter } from "@/lib/domain/ingest/mqtt";
import { WarningThrottle } from "@/lib/domain/warning-throttle";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import { ingestClock, ingestSamples } from "./pipeline";

const log = createLogger("mqtt");

export interface MqttIngestOptions {
  url: string;
  username?: string;
  password?: string;
  /** Fixed across restarts: the broker keeps this client's session and its unacknowledged messages. */
  clientId: string;
  topicPrefix: string;
  /** How long the broker keeps the session while this server is away (MQTT 5 session expiry). */
  sessionExpirySeconds?: number;
  /** Wait between reconnection attempts. */
  reconnectPeriodMs?: number;
}

export interface MqttIngestStats {
  /** Messages handled: their batch stored (or refused for good) and acknowledged. */
  received: number;
  /** Samples newly stored. */
  stored: number;
  /** Samples already stored (a redelivery, a repeat). */
  duplicates: number;
  /** Messages that could not be read: topic or payload. */
  malformed: number;
  /** Readable messages refused: unknown series, count out of range, outside the window. */
  refused: number;
  /** Messages whose batch failed to store (the database was down): not acknowledged, redelivered after a reconnect. */
  storeFailures: number;
  /** Connections made (the first and every reconnection). */
  connects: number;
}

export interface MqttIngest {
  readonly client: MqttClient;
  stats(): MqttIngestStats;
  /** Resolves once subscribed on the current connection (the first, or the next after a reconnect). */
  subscribed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * This server's client id when MQTT_CLIENT_ID is unset: the same on every start of the same
 * deployment. In a cluster the same on every node too: only the lease holder subscribes, and the
 * one taking over picks up the persistent session (and the messages queued for it) where it was.
 */
export function defaultMqttClientId(port: number, mode: "standalone" | "cluster" = "standalone"): string {
  if (mode === "cluster") return "m2m-pulse-cluster";
  return `m2m-pulse-${hostname().replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 40)}-${port}`;
}

/** The broker's address as it may be logged: without user name or password. */
export function redactedBrokerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** A batch is stored when it holds this many messages, or this long after its first one arrived. */
export const MQTT_BATCH_MAX = 500;
export const MQTT_BATCH_WAIT_MS = 50;
/**
 * QoS 1 messages the broker may have in flight to this client unacknowledged (MQTT 5 Receive
 * Maximum): it bounds what a batch and the flushes waiting behind it can hold in memory.
 */
export const MQTT_RECEIVE_MAXIMUM = 2_000;

// Passed to mqtt.js's handleMessage callback to withhold its automatic PUBACK (see below).
const ACK_LATER = new Error("acknowledged after the batch is stored");

interface PendingMessage {
  packet: IPublishPacket;
  /** The connection it came on: an acknowledgement goes on that connection or not at all. */
  connection: number;
}

/**
 * Subscribes (QoS 1) to `<prefix>/+/+/connections` with a persistent session, and acknowledges
 * each message only once its sample is committed (or found a duplicate, or refused for good):
 *
 * mqtt.js sends the PUBACK when `handleMessage` calls back, and hands over the next message only
 * then, which would make every message a transaction of its own. So messages are gathered into
 * batches (up to MQTT_BATCH_MAX or MQTT_BATCH_WAIT_MS); handleMessage calls back with an error,
 * which makes mqtt.js move on without acknowledging, and the PUBACKs of a batch are sent after its
 * commit through mqtt.js's own packet writer (`_sendPacket`, the one it uses itself; mqtt.js has
 * no public manual acknowledgement). A batch that fails to store is not acknowledged and the
 * connection is dropped, so the broker redelivers it on the next connection; acknowledgements
 * for messages of an earlier connection are never sent (their ids belong to that connection:
 * the broker redelivers those, and the repeats are stored once).
 */
export function startMqttIngest(options: MqttIngestOptions): MqttIngest {
  const counts: MqttIngestStats = { received: 0, stored: 0, duplicates: 0, malformed: 0, refused: 0, storeFailures: 0, connects: 0 };
  const throttle = new WarningThrottle(3, 30, 60_000, Date.now());
  const warn = (kind: string, key: string, detail: Record<string, unknown>) => {
    if (throttle.admit(kind, key, Date.now())) log.warn(kind, detail);
  };
  const summary = setInterval(() => {
    const heldBack = throttle.roll(Date.now());
    if (heldBack) log.warn("mqtt warnings held back in the last minute", heldBack);
  }, 60_000);
  summary.unref();

  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 86_400, receiveMaximum: MQTT_RECEIVE_MAXIMUM },
    username: options.username,
    password: options.password,
    reconnectPeriod: options.reconnectPeriodMs ?? 2_000,
    connectTimeout: 10_000,
    resubscribe: true,
  });
  const filter = mqttTopicFilter(options.topicPrefix);
  const where = redactedBrokerUrl(options.url);
  const sendPacket = (packet: { cmd: "puback"; messageId: number; reasonCode: number }) =>
    (client as unknown as { _sendPacket(packet: object, callback?: (error?: Error) => void): void })._sendPacket(packet, (error) => {
      if (error) warn("mqtt acknowledgement not sent", "puback", { error: error.message });
    });

  let connection = 0;
  let subscribedNow: Promise<void>;
  let markSubscribed: () => void = () => {};
  const awaitSubscription = () => (subscribedNow = new Promise((resolve) => (markSubscribed = resolve)));
  awaitSubscription();

  client.on("connect", (connack) => {
    connection++;
    counts.connects++;
    log.info("connected to the MQTT broker", { broker: where, clientId: options.clientId, sessionPresent: connack.sessionPresent });
    // With the session kept, the broker still has the subscription; subscribing again is harmless.
    client.subscribe(filter, { qos: 1 }, (error, granted) => {
      if (error) {
        warn("mqtt subscription failed", "subscribe", { topic: filter, error: error.message });
        return;
      }
      if (granted?.some((grant) => grant.qos > 2)) warn("mqtt subscription refused by the broker", "subscribe", { topic: filter });
      else markSubscribed();
    });
  });
  client.on("close", () => {
    connection++;
    awaitSubscription();
  });
  client.on("reconnect", () => log.debug("reconnecting to the MQTT broker", { broker: where }));
  // mqtt.js reconnects by itself; an error must only be logged, never thrown (an unhandled
  // 'error' event would end the process).
  client.on("error", (error) => warn("mqtt client error", error.message, { broker: where, error: error.message }));

  let batch: PendingMessage[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  // Batches are stored one after another, in arrival order.
  let flushing: Promise<void> = Promise.resolve();

  async function store(messages: readonly PendingMessage[]): Promise<void> {
    const clock = ingestClock();
    const samples = [];
    let refused = 0;
    for (const { packet } of messages) {
      const payload = typeof packet.payload === "string" ? new TextEncoder().encode(packet.payload) : packet.payload;
      const checked = checkMqttMessage(packet.topic, payload, options.topicPrefix, clock);
      if ("sample" in checked) {
        samples.push(checked.sample);
        continue;
      }
      if (checked.malformed) {
        counts.malformed++;
        metrics.ingestSamples.inc({ source: "mqtt", outcome: "malformed" });
      } else {
        counts.refused++;
        refused++;
      }
      warn(checked.malformed ? "malformed mqtt message" : "mqtt sample refused", packet.topic, { topic: packet.topic.slice(0, 200), reason: checked.reason });
    }
    try {
      // The same (series, instant) twice in a batch is one sample: storeSamples counts the repeat.
      const outcome = await ingestSamples({ samples, duplicates: 0, refused }, "mqtt");
      counts.stored += outcome.stored.length;
      counts.duplicates += outcome.duplicates;
      counts.received += messages.length;
    } catch (error) {
      counts.storeFailures += messages.length;
      warn("mqtt batch not stored; dropping the connection so the broker redelivers it", "store", { messages: messages.length, error: error instanceof Error ? error.message : String(error) });
      client.stream?.destroy();
      return;
    }
    for (const { packet, connection: receivedOn } of messages) {
      if (packet.qos > 0 && packet.messageId !== undefined && receivedOn === connection && client.connected) sendPacket({ cmd: "puback", messageId: packet.messageId, reasonCode: 0 });
    }
  }

  function flush(): void {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    if (batch.length === 0) return;
    const messages = batch;
    batch = [];
    flushing = flushing
      .then(() => store(messages))
      .catch((error: unknown) => {
        // Never leave the chain rejected: every later batch would wait behind it for good.
        warn("mqtt batch failed", "batch", { error: error instanceof Error ? error.message : String(error) });
        client.stream?.destroy();
      });
  }

  client.handleMessage = (packet, callback) => {
    batch.push({ packet, connection });
    if (batch.length >= MQTT_BATCH_MAX) flush();
    else batchTimer ??= setTimeout(flush, MQTT_BATCH_WAIT_MS);
    // QoS 0 has nothing to acknowledge; for QoS 1 the error withholds mqtt.js's own PUBACK.
    callback(packet.qos > 0 ? ACK_LATER : undefined);
  };

  log.info("MQTT ingest starting", { broker: where, topic: filter, clientId: options.clientId });
  return {
    client,
    stats: () => ({ ...counts }),
    subscribed: () => subscribedNow,
    close: async () => {
      clearInterval(summary);
      // What has arrived is stored and acknowledged before the connection ends.
      flush();
      await flushing;
      await client.endAsync();
    },
  };
}
