import { hostname } from "node:os";
import mqtt, { type IPublishPacket, type MqttClient } from "mqtt";
import { checkMqttMessage, mqttTopicFilter } from "@/lib/domain/ingest/mqtt";
import { WarningThrottle } from "@/lib/domain/warning-throttle";
import { createLogger } from "@/lib/logger";
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
  /** Messages taken in (each acknowledged to the broker once handled). */
  received: number;
  /** Samples newly stored. */
  stored: number;
  /** Samples already stored (a redelivery, a repeat). */
  duplicates: number;
  /** Messages that could not be read: topic or payload. */
  malformed: number;
  /** Readable messages refused: unknown series, count out of range, outside the window. */
  refused: number;
  /** Messages whose store failed (the database was down): not acknowledged, redelivered after a reconnect. */
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

/** This server's client id when MQTT_CLIENT_ID is unset: the same on every start of the same deployment. */
export function defaultMqttClientId(port: number): string {
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

/**
 * Subscribes (QoS 1) to `<prefix>/+/+/connections` with a persistent session, and stores each
 * message before acknowledging it: mqtt.js sends the PUBACK only when `handleMessage` calls back,
 * so a message is acknowledged after its sample is committed (or found a duplicate, or refused
 * for good). A store that fails is not acknowledged and the connection is dropped, so the broker
 * redelivers it on the reconnection. mqtt.js hands messages over one at a time (the next one
 * only after the callback), so each message is one transaction: enough for device fleets that
 * publish every minute; high-rate feeds should use HTTP batches.
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
    properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 86_400 },
    username: options.username,
    password: options.password,
    reconnectPeriod: options.reconnectPeriodMs ?? 2_000,
    connectTimeout: 10_000,
    resubscribe: true,
  });
  const filter = mqttTopicFilter(options.topicPrefix);
  const where = redactedBrokerUrl(options.url);

  let subscribedNow: Promise<void>;
  let markSubscribed: () => void = () => {};
  const awaitSubscription = () => (subscribedNow = new Promise((resolve) => (markSubscribed = resolve)));
  awaitSubscription();

  client.on("connect", (connack) => {
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
  client.on("close", () => awaitSubscription());
  client.on("reconnect", () => log.debug("reconnecting to the MQTT broker", { broker: where }));
  // mqtt.js reconnects by itself; an error must only be logged, never thrown (an unhandled
  // 'error' event would end the process).
  client.on("error", (error) => warn("mqtt client error", error.message, { broker: where, error: error.message }));

  async function handle(packet: IPublishPacket): Promise<void> {
    counts.received++;
    const payload = typeof packet.payload === "string" ? new TextEncoder().encode(packet.payload) : packet.payload;
    const clock = ingestClock();
    const checked = checkMqttMessage(packet.topic, payload, options.topicPrefix, clock);
    if ("reason" in checked) {
      if (checked.malformed) counts.malformed++;
      else counts.refused++;
      warn(checked.malformed ? "malformed mqtt message" : "mqtt sample refused", packet.topic, { topic: packet.topic.slice(0, 200), reason: checked.reason });
      return;
    }
    const outcome = await ingestSamples({ samples: [checked.sample], duplicates: 0 }, "mqtt", clock);
    counts.stored += outcome.stored.length;
    counts.duplicates += outcome.duplicates;
  }

  client.handleMessage = (packet, callback) => {
    handle(packet).then(
      () => callback(),
      (error: unknown) => {
        counts.storeFailures++;
        warn("mqtt sample not stored; dropping the connection so the broker redelivers it", "store", { error: error instanceof Error ? error.message : String(error) });
        // An error to the callback withholds the PUBACK; the broker resends on the next connection.
        callback(error instanceof Error ? error : new Error(String(error)));
        client.stream?.destroy();
      },
    );
  };

  log.info("MQTT ingest starting", { broker: where, topic: filter, clientId: options.clientId });
  return {
    client,
    stats: () => ({ ...counts }),
    subscribed: () => subscribedNow,
    close: async () => {
      clearInterval(summary);
      await client.endAsync();
    },
  };
}
