import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StoredSample } from "@/lib/contracts/ingest";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { registerRealtime, type RealtimeHandle } from "@/server/realtime/registry";
import { startMqttIngest, type MqttIngest } from "@/server/ingest/mqtt";
import { openSeededDatabase } from "../support/database";
import { freePort } from "../support/free-port";
import { withClient } from "../support/pg-client";
import { eventually } from "../support/stream-server";

// The machine's Mosquitto for the shared-broker test; a broker of the test's own for the restart.
const SHARED_BROKER = process.env.MQTT_TEST_URL ?? "mqtt://127.0.0.1:1883";
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

let url = "";
let database: Database;
let close: () => Promise<void>;
const handedToStream: StoredSample[][] = [];
const ingests: MqttIngest[] = [];
const brokers: ChildProcess[] = [];

beforeAll(async () => {
  ({ url, database, close } = await openSeededDatabase());
  // Only the seam the ingest path calls: it must see each sample already committed.
  registerRealtime({
    currentInstant: () => Date.now(),
    openReceipt: () => ({ receivedAtMs: Date.now(), close: () => undefined }),
    acceptMeasured: (samples: readonly StoredSample[]) => void handedToStream.push([...samples]),
  } as unknown as RealtimeHandle);
});
afterAll(async () => {
  registerRealtime(undefined);
  await close();
});
afterEach(async () => {
  for (const ingest of ingests.splice(0)) await ingest.close();
  for (const broker of brokers.splice(0)) if (broker.exitCode === null) broker.kill("SIGKILL");
});

const rowsUnder = (atFrom: number) =>
  withClient(url, async (client) =>
    (await client.query<{ operator_slug: string; sector_slug: string; at: Date; connections: number; source: string }>("SELECT * FROM measured_sample WHERE at >= $1 ORDER BY at", [new Date(atFrom)])).rows,
  );

function ingestTo(brokerUrl: string, prefix: string, clientId: string): MqttIngest {
  const ingest = startMqttIngest({ url: brokerUrl, clientId, topicPrefix: prefix, reconnectPeriodMs: 200 });
  ingests.push(ingest);
  return ingest;
}

async function publish(brokerUrl: string, messages: [topic: string, payload: string][]): Promise<void> {
  const publisher = await mqtt.connectAsync(brokerUrl, { clientId: `pulse-test-pub-${randomBytes(4).toString("hex")}`, reconnectPeriod: 0 });
  for (const [topic, payload] of messages) await publisher.publishAsync(topic, payload, { qos: 1 });
  await publisher.endAsync();
}

async function startBroker(port: number): Promise<ChildProcess> {
  const broker = spawn(MOSQUITTO, ["-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  brokers.push(broker);
  let output = "";
  broker.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  broker.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await eventually(`mosquitto listening on ${port}`, async () => {
    if (broker.exitCode !== null) throw new Error(`mosquitto exited: ${output}`);
    const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 1000 }).catch(() => undefined);
    if (!probe) return false;
    await probe.endAsync();
    return true;
  });
  return broker;
}

describe("MQTT ingest", () => {
  it("stores messages from the machine's Mosquitto, counts malformed ones, and keeps its session across a restart of the subscriber", { timeout: 60_000 }, async () => {
    const prefix = `pulse-test-${randomBytes(4).toString("hex")}`;
    const clientId = `pulse-test-sub-${randomBytes(4).toString("hex")}`;
    const since = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const at = since + 60_000;
    let ingest = ingestTo(SHARED_BROKER, prefix, clientId);
    await ingest.subscribed();

    await publish(SHARED_BROKER, [
      [`${prefix}/china-mobile/energy/connections`, "9512345"],
      [`${prefix}/china-unicom/retail/connections`, JSON.stringify({ connections: 42, at: new Date(at).toISOString() })],
      [`${prefix}/china-unicom/retail/connections`, JSON.stringify({ connections: 42, at })],
      [`${prefix}/china-telecom/energy/connections`, "a lot"],
      [`${prefix}/china-telecom/mining/connections`, "5"],
    ]);
    await eventually("five messages handled", () => ingest.stats().received === 5 || undefined);
    expect(ingest.stats()).toMatchObject({ received: 5, stored: 2, duplicates: 1, malformed: 1, refused: 1, storeFailures: 0 });
    const rows = await rowsUnder(since);
    expect(rows.map((row) => [row.operator_slug, row.sector_slug, row.connections, row.source])).toEqual(
      expect.arrayContaining([
        ["china-unicom", "retail", 42, "mqtt"],
        ["china-mobile", "energy", 9_512_345, "mqtt"],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(handedToStream.flat().map((sample) => sample.connections).sort()).toEqual([42, 9_512_345]);

    // Away: QoS 1 messages wait in the broker for this client id, and arrive at the next start.
    await ingest.close();
    ingests.length = 0;
    await publish(SHARED_BROKER, [[`${prefix}/china-telecom/education/connections`, JSON.stringify({ connections: 7, at: at + 1000 })]]);
    ingest = ingestTo(SHARED_BROKER, prefix, clientId);
    await eventually("the message queued while away", () => ingest.stats().stored === 1 || undefined);
    expect((await rowsUnder(since)).map((row) => row.connections)).toContain(7);

    // Leave no session behind on the shared broker.
    await ingest.close();
    ingests.length = 0;
    const cleaner = await mqtt.connectAsync(SHARED_BROKER, { clientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 }, reconnectPeriod: 0 });
    await cleaner.endAsync();
  });

  it("reconnects after its broker restarts and resumes storing", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const brokerUrl = `mqtt://127.0.0.1:${port}`;
    let broker = await startBroker(port);
    const since = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
    const ingest = ingestTo(brokerUrl, "m2m", `pulse-test-restart-${randomBytes(4).toString("hex")}`);
    await ingest.subscribed();
    await publish(brokerUrl, [["m2m/china-mobile/healthcare/connections", JSON.stringify({ connections: 100, at: since })]]);
    await eventually("the first message stored", () => ingest.stats().stored === 1 || undefined);

    broker.kill("SIGKILL");
    await once(broker, "exit");
    await eventually("the subscriber noticing the broker is gone", () => !ingest.client.connected || undefined);
    broker = await startBroker(port);
    await eventually("a reconnection", () => ingest.stats().connects >= 2 || undefined, 20_000);
    await ingest.subscribed();

    await publish(brokerUrl, [["m2m/china-mobile/healthcare/connections", JSON.stringify({ connections: 101, at: since + 1000 })]]);
    await eventually("the message after the restart stored", () => ingest.stats().stored === 2 || undefined);
    const rows = (await rowsUnder(since)).filter((row) => row.sector_slug === "healthcare" && row.operator_slug === "china-mobile");
    expect(rows.map((row) => row.connections)).toEqual([100, 101]);
  });

  it("acknowledges nothing it could not store: with the database down the broker keeps the message and redelivers it", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const brokerUrl = `mqtt://127.0.0.1:${port}`;
    await startBroker(port);
    const since = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const ingest = ingestTo(brokerUrl, "m2m", `pulse-test-down-${randomBytes(4).toString("hex")}`);
    await ingest.subscribed();
    // Nothing listens on port 1: every query fails as with a database that went away.
    const unreachable = createDatabase("postgresql://postgres@127.0.0.1:1/nothing", "external");
    installDatabase(unreachable);
    try {
      await publish(brokerUrl, [["m2m/china-unicom/education/connections", JSON.stringify({ connections: 555, at: since })]]);
      await eventually("the store failing", () => ingest.stats().storeFailures >= 1 || undefined);
    } finally {
      installDatabase(database);
      await closeDatabase(unreachable);
    }
    // Not acknowledged, so the broker resends it on the reconnection, and now it is stored.
    await eventually("the redelivered message stored", () => ingest.stats().stored === 1 || undefined, 20_000);
    expect(ingest.stats().connects).toBeGreaterThanOrEqual(2);
    const rows = (await rowsUnder(since)).filter((row) => row.connections === 555);
    expect(rows).toHaveLength(1);
  });
});
