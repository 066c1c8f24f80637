import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteContactPoint, PATCH as patchContactPoint } from "@/app/api/notifications/contact-points/[id]/route";
import { POST as sendTest } from "@/app/api/notifications/contact-points/[id]/test/route";
import { GET as listContactPoints, POST as postContactPoint } from "@/app/api/notifications/contact-points/route";
import { POST as retryDelivery } from "@/app/api/notifications/deliveries/[id]/retry/route";
import { GET as listDeliveries } from "@/app/api/notifications/deliveries/route";
import type { Alert } from "@/lib/contracts/alerts";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { contactPointResponseSchema, contactPointsResponseSchema, deliveriesResponseSchema, deliveryResponseSchema, type Delivery } from "@/lib/contracts/notifications";
import { insertAlert, updateAlert, type NewAlert } from "@/lib/db/alerts";
import { claimDueNotifications } from "@/lib/db/notifications";
import { captureLogs } from "@/lib/logger";
import type { Database } from "@/lib/db/client";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "@/server/notifications/dispatcher";
import type { Tick } from "@/lib/contracts/realtime";
import { StreamClient } from "@/lib/realtime/stream-client";
import { signedInAccount } from "../support/accounts";
import { openSeededDatabase } from "../support/database";
import { startReceiver, until, type Receiver } from "../support/receiver";
import { eventually, startStreamServer } from "../support/stream-server";

let session = "";
const request = (method: string, url: string, body?: unknown, cookie = session) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: body === undefined ? { cookie } : { "content-type": "application/json", cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });
const errorOf = async (response: Response) => apiErrorBodySchema.parse(await response.json()).error;

async function createPoint(body: Record<string, unknown>) {
  const response = await postContactPoint(request("POST", "/api/notifications/contact-points", body), undefined);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return contactPointResponseSchema.parse(await response.json()).contactPoint;
}

async function deliveries(): Promise<Delivery[]> {
  const response = await listDeliveries(request("GET", "/api/notifications/deliveries?limit=500"), undefined);
  return deliveriesResponseSchema.parse(await response.json()).deliveries;
}

const newAlert = (overrides: Partial<NewAlert> = {}): NewAlert => ({
  raisedAt: new Date().toISOString(),
  operator: "china-mobile",
  sector: "energy",
  kind: "drop",
  severity: "warning",
  observed: 800,
  expected: 1000,
  expectedLow: 950,
  expectedHigh: 1050,
  message: "China Mobile energy connections fell below the expected band",
  provenance: "simulated",
  ...overrides,
});

// Small delays so that a test waits milliseconds, not the product's seconds, for a retry.
const FAST: DispatcherOptions = { maxAttempts: 4, backoffBaseMs: 5, backoffMaxMs: 50, timeoutMs: 3_000, concurrency: 4, pollMs: 10 };

describe("notifications", () => {
  let database: Database;
  let close: () => Promise<void>;
  const dispatchers: Dispatcher[] = [];
  // The dispatcher's lines are kept, not printed: the last test checks that no secret is in them.
  const logs = captureLogs("debug");
  const receivers: Receiver[] = [];

  const dispatcher = (options: Partial<DispatcherOptions> = {}) => {
    const started = createDispatcher({ ...FAST, ...options });
    dispatchers.push(started);
    started.start();
    return started;
  };
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    ({ database, close } = await openSeededDatabase());
    ({ cookie: session } = await signedInAccount("operator"));
  });
  afterEach(async () => {
    for (const started of dispatchers.splice(0)) await started.stop();
    for (const started of receivers.splice(0)) await started.close();
    await database.prisma.contactPoint.deleteMany();
  });
  afterAll(async () => {
    logs.stop();
    await close();
  });

  describe("contact points over the API", () => {
    it("stores secrets and never returns them; refuses viewers, bad schemes and missing secrets with 4xx", async () => {
      const point = await createPoint({ name: "NOC WeCom", kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-123456" });
      expect(point.urlMasked).toBe("https://qyapi.weixin.qq.com/…3456");
      const signed = await createPoint({ name: "Ops hook", kind: "webhook", url: "https://hooks.example.com/pulse", secret: "webhook-secret-abc", severities: ["critical"] });
      expect(signed.hasSecret).toBe(true);

      const listed = await listContactPoints(request("GET", "/api/notifications/contact-points"), undefined);
      const text = await listed.clone().text();
      expect(text).not.toContain("wecom-key-123456");
      expect(text).not.toContain("webhook-secret-abc");
      expect(contactPointsResponseSchema.parse(await listed.json()).contactPoints.map((entry) => entry.name)).toEqual(["NOC WeCom", "Ops hook"]);

      const audit = await database.prisma.auditEvent.findMany({ where: { action: { startsWith: "contact-point." } } });
      expect(audit.map((entry) => entry.action)).toEqual(["contact-point.create", "contact-point.create"]);
      const auditText = JSON.stringify(audit.map((entry) => [entry.target, entry.detail]));
      expect(auditText).not.toContain("webhook-secret-abc");
      expect(auditText).not.toContain("wecom-key-123456");

      const { cookie: viewer } = await signedInAccount("viewer");
      const refused = await postContactPoint(request("POST", "/api/notifications/contact-points", { name: "x", kind: "slack", url: "https://hooks.slack.com/x" }, viewer), undefined);
      expect(refused.status).toBe(403);
      expect((await listContactPoints(request("GET", "/api/notifications/contact-points", undefined, viewer), undefined)).status).toBe(403);
      expect((await listContactPoints(request("GET", "/api/notifications/contact-points", undefined, ""), undefined)).status).toBe(401);

      const ftp = await postContactPoint(request("POST", "/api/notifications/contact-points", { name: "x", kind: "slack", url: "ftp://example.com/x" }), undefined);
      expect(ftp.status).toBe(400);
      expect((await errorOf(ftp)).message).toContain("expected an http:// or https:// URL");
      const unsigned = await postContactPoint(request("POST", "/api/notifications/contact-points", { name: "x", kind: "webhook", url: "https://example.com/x" }), undefined);
      expect(unsigned.status).toBe(400);
      expect((await errorOf(unsigned)).message).toContain("a webhook needs a signing secret");

      const renamed = await patchContactPoint(request("PATCH", `/api/notifications/contact-points/${signed.id}`, { name: "Ops", secret: "rotated-secret" }), params({ id: String(signed.id) }));
      expect(contactPointResponseSchema.parse(await renamed.json()).contactPoint.name).toBe("Ops");
      const updateAudit = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: "contact-point.update" } });
      expect(updateAudit.detail).toMatchObject({ name: "Ops", secretChanged: true, urlChanged: false });
      expect(JSON.stringify(updateAudit.detail)).not.toContain("rotated-secret");

      const unsign = await patchContactPoint(request("PATCH", `/api/notifications/contact-points/${signed.id}`, { secret: null }), params({ id: String(signed.id) }));
      expect(unsign.status).toBe(400);
      expect((await errorOf(unsign)).message).toBe("secret: a webhook needs a signing secret");
      const kindChange = await patchContactPoint(request("PATCH", `/api/notifications/contact-points/${point.id}`, { kind: "slack" }), params({ id: String(point.id) }));
      expect(kindChange.status).toBe(400);
      const missing = await patchContactPoint(request("PATCH", "/api/notifications/contact-points/999999", { name: "x" }), params({ id: "999999" }));
      expect(missing.status).toBe(404);

      expect((await deleteContactPoint(request("DELETE", `/api/notifications/contact-points/${point.id}`), params({ id: String(point.id) }))).status).toBe(200);
      expect((await deleteContactPoint(request("DELETE", `/api/notifications/contact-points/${point.id}`), params({ id: String(point.id) }))).status).toBe(404);
    });
  });

  describe("the outbox", () => {
    it("is written in the alert's own transaction: when the outbox refuses the row, the alert is not stored either", async () => {
      await createPoint({ name: "hook", kind: "slack", url: "https://hooks.slack.com/services/T/B/X" });
      const before = await database.prisma.alert.count();
      await database.prisma.$executeRawUnsafe("ALTER TABLE notification ADD CONSTRAINT refuse_all CHECK (false) NOT VALID");
      try {
        await expect(insertAlert(newAlert())).rejects.toThrow();
      } finally {
        await database.prisma.$executeRawUnsafe("ALTER TABLE notification DROP CONSTRAINT refuse_all");
      }
      expect(await database.prisma.alert.count()).toBe(before);
    });

    it("routes by operator, sector and severity, sends raised and resolved, and holds back repeats within the interval", async () => {
      const all = await createPoint({ name: "all", kind: "slack", url: "https://hooks.slack.com/services/T/B/all" });
      const critical = await createPoint({ name: "critical unicom", kind: "slack", url: "https://hooks.slack.com/services/T/B/crit", operators: ["china-unicom"], severities: ["critical"] });
      const noRepeat = await createPoint({ name: "no repeat hold", kind: "slack", url: "https://hooks.slack.com/services/T/B/rep", repeatIntervalSeconds: 0 });
      await createPoint({ name: "off", kind: "slack", url: "https://hooks.slack.com/services/T/B/off", enabled: false });

      const mobile = await insertAlert(newAlert());
      await updateAlert(mobile.id, { severity: "critical", observed: 600 });
      await updateAlert(mobile.id, { observed: 500 });
      await updateAlert(mobile.id, { resolvedAt: new Date().toISOString() });
      const unicom = await insertAlert(newAlert({ operator: "china-unicom", sector: null, severity: "critical" }));

      const rows = await database.prisma.notification.findMany({ orderBy: { id: "asc" } });
      const sent = (pointId: number, alertId: number) => rows.filter((row) => row.contactPointId === pointId && row.alertId === alertId).map((row) => row.event);
      // The default interval (an hour) holds back both updates; the resolution still goes.
      expect(sent(all.id, mobile.id)).toEqual(["raised", "resolved"]);
      expect(sent(noRepeat.id, mobile.id)).toEqual(["raised", "updated", "updated", "resolved"]);
      expect(sent(critical.id, mobile.id)).toEqual([]);
      expect(sent(critical.id, unicom.id)).toEqual(["raised"]);
      expect(rows.filter((row) => row.alertId === unicom.id)).toHaveLength(3);
      expect(rows.every((row) => row.state === "pending")).toBe(true);
    });
  });

  describe("delivery to a local receiver", () => {
    it("gives each kind the exact body and signature its service documents", async () => {
      const robot = await receiver((seen) => {
        if (seen.url.startsWith("/wecom") || seen.url.startsWith("/dingtalk")) return { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
        if (seen.url.startsWith("/feishu")) return { status: 200, body: '{"code":0,"msg":"success","data":{}}' };
        return { status: 200, body: "ok" };
      });
      await createPoint({ name: "webhook", kind: "webhook", url: `${robot.url}/webhook`, secret: "hook-secret" });
      await createPoint({ name: "wecom", kind: "wecom", url: `${robot.url}/wecom/cgi-bin/webhook/send?key=wk` });
      await createPoint({ name: "dingtalk", kind: "dingtalk", url: `${robot.url}/dingtalk/robot/send?access_token=dt`, secret: "SECding" });
      await createPoint({ name: "feishu", kind: "feishu", url: `${robot.url}/feishu/open-apis/bot/v2/hook/fs`, secret: "fs-secret" });
      await createPoint({ name: "slack", kind: "slack", url: `${robot.url}/slack/services/T/B/X` });

      const alert = await insertAlert(newAlert());
      dispatcher();
      const got = async (prefix: string) => robot.waitFor((seen) => seen.url.startsWith(prefix), `${prefix} request`);

      const webhook = await got("/webhook");
      expect(webhook.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(webhook.headers["x-pulse-signature-256"]).toBe(`sha256=${createHmac("sha256", "hook-secret").update(webhook.body).digest("hex")}`);
      const webhookBody = JSON.parse(webhook.body) as { event: string; id: string; alert: Alert };
      expect(webhookBody).toMatchObject({ version: 1, event: "raised", alert: { id: alert.id, operator: "china-mobile", severity: "warning" } });
      expect(webhook.headers["x-pulse-delivery"]).toBe(webhookBody.id);

      const wecom = JSON.parse((await got("/wecom")).body);
      expect(Object.keys(wecom)).toEqual(["msgtype", "markdown"]);
      expect(wecom.msgtype).toBe("markdown");
      expect(wecom.markdown.content).toContain("China Mobile");

      const dingtalk = await got("/dingtalk");
      const query = new URL(dingtalk.url, robot.url).searchParams;
      expect(query.get("access_token")).toBe("dt");
      const timestamp = query.get("timestamp")!;
      expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
      // The documented algorithm: Base64(HmacSHA256(key=secret, `${timestamp}\n${secret}`)), URL-encoded in the query.
      expect(query.get("sign")).toBe(createHmac("sha256", "SECding").update(`${timestamp}\nSECding`).digest("base64"));
      expect(JSON.parse(dingtalk.body)).toMatchObject({ msgtype: "markdown", markdown: { title: expect.stringContaining("RAISED") } });

      const feishu = JSON.parse((await got("/feishu")).body);
      expect(Math.abs(Number(feishu.timestamp) * 1000 - Date.now())).toBeLessThan(60_000);
      // The documented algorithm: Base64(HmacSHA256(key=`${timestamp}\n${secret}`, message="")).
      expect(feishu.sign).toBe(createHmac("sha256", `${feishu.timestamp}\nfs-secret`).update("").digest("base64"));
      expect(feishu).toMatchObject({ msg_type: "text", content: { text: expect.stringContaining("China Mobile") } });

      const slack = JSON.parse((await got("/slack")).body);
      expect(slack).toMatchObject({ text: expect.stringContaining("RAISED"), blocks: [{ type: "section", text: { type: "mrkdwn" } }] });

      await until("all five marked sent", async () => (await deliveries()).filter((row) => row.state === "sent").length === 5);
    });

    it("delivers exactly once, after backoff, to a receiver that answers 500 three times and then 200", async () => {
      const flaky = await receiver((_seen, index) => (index < 3 ? { status: 500, body: "busy" } : { status: 200, body: "ok" }));
      await createPoint({ name: "flaky", kind: "webhook", url: `${flaky.url}/hook`, secret: "s" });
      await insertAlert(newAlert());
      dispatcher();
      await flaky.waitFor((seen) => seen.status === 200, "successful delivery");
      const [row] = await until("the row marked sent", async () => {
        const rows = await deliveries();
        return rows[0]?.state === "sent" ? rows : undefined;
      });
      expect(row).toMatchObject({ state: "sent", attempts: 4, lastError: null });
      for (const started of dispatchers.splice(0)) await started.stop();
      expect(flaky.received.map((seen) => seen.status)).toEqual([500, 500, 500, 200]);
      // Each retry carried the same delivery id, so a receiver can tell a repeat.
      expect(new Set(flaky.received.map((seen) => seen.headers["x-pulse-delivery"])).size).toBe(1);
    });

    it("dead-letters after the retry budget with the last error (no secret in it), and 'send again' delivers it", async () => {
      const down = await receiver();
      await down.close();
      const point = await createPoint({ name: "down", kind: "wecom", url: `${down.url}/cgi-bin/webhook/send?key=secret-wecom-key` });
      await insertAlert(newAlert());
      dispatcher({ maxAttempts: 3 });
      const [dead] = await until("a dead letter", async () => {
        const rows = await deliveries();
        return rows[0]?.state === "dead" ? rows : undefined;
      });
      expect(dead).toMatchObject({ contactPointId: point.id, attempts: 3, state: "dead" });
      expect(dead!.lastError).toMatch(/ECONNREFUSED|fetch failed/);
      expect(dead!.lastError).not.toContain("secret-wecom-key");

      const { cookie: viewer } = await signedInAccount("viewer");
      expect((await retryDelivery(request("POST", `/api/notifications/deliveries/${dead!.id}/retry`, undefined, viewer), params({ id: dead!.id }))).status).toBe(403);

      await down.reopen();
      down.answer = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
      const again = await retryDelivery(request("POST", `/api/notifications/deliveries/${dead!.id}/retry`), params({ id: dead!.id }));
      expect(again.status).toBe(202);
      expect(deliveryResponseSchema.parse(await again.json()).delivery).toMatchObject({ state: "pending", attempts: 0 });
      await down.waitFor((seen) => seen.status === 200, "the resent notification");
      await until("the row marked sent", async () => (await deliveries())[0]?.state === "sent");
      expect(await database.prisma.auditEvent.count({ where: { action: "notification.retry" } })).toBe(1);
      const notDead = await retryDelivery(request("POST", `/api/notifications/deliveries/${dead!.id}/retry`), params({ id: dead!.id }));
      expect(notDead.status).toBe(409);
    });

    it("loses nothing across a dispatcher restart in the middle of retries, and sends it once", async () => {
      const first: { dispatcher?: Dispatcher; stopped?: Promise<void> } = {};
      const flaky = await receiver((_seen, index) => {
        // The server shuts down while its first try is in flight: the dispatcher stops claiming
        // at once and records this try's outcome before its stop() resolves.
        if (index === 0) first.stopped = first.dispatcher!.stop();
        return index < 3 ? { status: 500, body: "busy" } : { status: 200, body: "ok" };
      });
      await createPoint({ name: "flaky", kind: "slack", url: `${flaky.url}/services/T/B/X` });
      await insertAlert(newAlert());
      first.dispatcher = dispatcher();
      await flaky.waitFor(() => true, "the first try");
      await first.stopped;
      const [pending] = await deliveries();
      expect(pending).toMatchObject({ state: "pending", attempts: 1, lastError: "answered HTTP 500: busy" });
      expect(flaky.received).toHaveLength(1);

      // The next server's dispatcher, on the same database, carries on with the retries.
      dispatcher();
      await flaky.waitFor((seen) => seen.status === 200, "delivery after the restart");
      await until("the row marked sent", async () => (await deliveries())[0]?.state === "sent");
      for (const started of dispatchers.splice(0)) await started.stop();
      expect(flaky.received.map((seen) => seen.status)).toEqual([500, 500, 500, 200]);
      expect((await deliveries())[0]).toMatchObject({ state: "sent", attempts: 4 });
    });

    it("takes over a row whose sender died mid-send once its lease runs out, and not before", async () => {
      const sink = await receiver();
      await createPoint({ name: "sink", kind: "slack", url: `${sink.url}/services/T/B/X` });
      await insertAlert(newAlert());
      // A process claims the row and dies before recording anything.
      const [claimed] = await claimDueNotifications(10, 1_500);
      expect(claimed).toMatchObject({ event: "raised", attempts: 1 });
      expect(await claimDueNotifications(10, 1_500)).toEqual([]);
      dispatcher({ timeoutMs: 200, leaseMs: 1_500 });
      const seen = await sink.waitFor(() => true, "the taken-over notification");
      expect(seen.status).toBe(200);
      await until("the row marked sent", async () => (await deliveries())[0]?.state === "sent");
      expect((await deliveries())[0]).toMatchObject({ attempts: 2 });
      expect(sink.received).toHaveLength(1);
    });

    it("never sends a row twice when two dispatchers share the database", async () => {
      const sink = await receiver();
      for (const name of ["a", "b", "c"]) {
        const point = await createPoint({ name, kind: "webhook", url: `${sink.url}/hook/${name}`, secret: "s" });
        for (let index = 0; index < 10; index++) {
          const response = await sendTest(request("POST", `/api/notifications/contact-points/${point.id}/test`), params({ id: String(point.id) }));
          expect(response.status).toBe(202);
        }
      }
      dispatcher();
      dispatcher();
      await until("30 rows sent", async () => (await deliveries()).filter((row) => row.state === "sent").length === 30);
      for (const started of dispatchers.splice(0)) await started.stop();
      const ids = sink.received.map((seen) => seen.headers["x-pulse-delivery"]);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it("does not hold up alert writes while a contact point hangs", async () => {
      const stuck = await receiver(() => "hang");
      await createPoint({ name: "stuck", kind: "slack", url: `${stuck.url}/services/T/B/X` });
      const first = await insertAlert(newAlert());
      dispatcher({ timeoutMs: 60_000 });
      await stuck.waitFor(() => true, "the hanging request");
      // The dispatcher is waiting on the receiver; the alert path is not.
      const resolved = await updateAlert(first.id, { resolvedAt: new Date().toISOString() });
      expect(resolved.resolvedAt).not.toBeNull();
      await stuck.close();
    });
  });

  describe("from the live stream", () => {
    it("sends an alert the stream raises, while a hanging contact point holds up neither ticks nor alerts on screen", async () => {
      const stuck = await receiver(() => "hang");
      const working = await receiver();
      await createPoint({ name: "stuck", kind: "slack", url: `${stuck.url}/services/T/B/X` });
      await createPoint({ name: "telecom team", kind: "webhook", url: `${working.url}/hook`, secret: "team-secret", operators: ["china-telecom"] });
      // Every alert goes to the hanging receiver too; it may hold one of the two slots, never both.
      dispatcher({ concurrency: 2, timeoutMs: 60_000 });
      const server = await startStreamServer({ SIM_TICK_MS: 50 });
      const onScreen: Alert[] = [];
      const ticks: Tick[] = [];
      const client = new StreamClient({
        url: server.url,
        filter: { operators: ["china-telecom"], sectors: [] },
        socketOptions: { transports: ["websocket"], forceNew: true },
        handlers: { onAlert: (_, alert) => onScreen.push(alert), onTicks: (received) => ticks.push(...received) },
      });
      try {
        await eventually("subscribed", () => client.status === "live");
        const startMs = server.realtime.source.currentInstant();
        server.realtime.trigger({ kind: "outage", operator: "china-telecom", sector: null, startMs, magnitude: 0.6, rampMs: 0, holdMs: 60_000, recoverMs: 0 });
        const alert = await eventually("the outage alert on screen", () => onScreen.find((candidate) => candidate.operator === "china-telecom" && candidate.sector === null && candidate.kind === "drop"));
        await stuck.waitFor(() => true, "a request to the hanging receiver");
        const delivered = await working.waitFor((seen) => (JSON.parse(seen.body) as { alert: Alert }).alert.id === alert.id, "the outage notification");
        expect(JSON.parse(delivered.body)).toMatchObject({ event: "raised", alert: { operator: "china-telecom", sector: null } });
        // Ticks keep coming while the stuck receiver holds its request open.
        const seen = ticks.length;
        await eventually("more ticks", () => ticks.length > seen + 5);
      } finally {
        client.close();
        await server.stop();
        await stuck.close();
      }
    });
  });

  it("never logs a contact point's URL key or secret", () => {
    const text = logs.lines.join("");
    expect(text).toContain("notification sent");
    for (const secret of ["hook-secret", "SECding", "fs-secret", "secret-wecom-key", "access_token", "key=wk", "webhook-secret-abc"]) expect(text).not.toContain(secret);
  });
});
