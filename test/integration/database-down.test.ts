import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as alerts from "@/app/api/alerts/route";
import * as baselines from "@/app/api/baselines/route";
import * as displayToken from "@/app/api/display-tokens/[id]/route";
import * as displays from "@/app/api/displays/route";
import * as history from "@/app/api/history/route";
import * as playlist from "@/app/api/playlists/[slug]/route";
import * as tokens from "@/app/api/playlists/[slug]/tokens/route";
import * as playlists from "@/app/api/playlists/route";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { signedInAccount } from "../support/accounts";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const url = (path: string) => `http://localhost${path}`;
// Changes are made as a signed-in operator, so that what they meet is the database being down.
let cookie = "";
const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body), headers: { "content-type": "application/json", cookie } });
const slug = (value: string) => ({ params: Promise.resolve({ slug: value }) });

/** Every route that needs the database, called through its real handler. */
const calls: [string, () => Promise<Response>][] = [
  ["GET /api/alerts", () => alerts.GET(new Request(url("/api/alerts")), undefined)],
  ["GET /api/baselines", () => baselines.GET(new Request(url("/api/baselines")), undefined)],
  ["GET /api/history", () => history.GET(new Request(url("/api/history?span=3600")), undefined)],
  ["GET /api/displays", () => displays.GET(new Request(url("/api/displays")), undefined)],
  ["GET /api/playlists", () => playlists.GET(new Request(url("/api/playlists")), undefined)],
  [
    "POST /api/playlists",
    () => playlists.POST(new Request(url("/api/playlists"), json("POST", { slug: "down", name: "Down", views: [{ title: "All", operators: [], sectors: [], window: "15m", dwellSeconds: 30 }] })), undefined),
  ],
  ["GET /api/playlists/overview", () => playlist.GET(new Request(url("/api/playlists/overview")), slug("overview"))],
  ["DELETE /api/playlists/overview", () => playlist.DELETE(new Request(url("/api/playlists/overview"), { method: "DELETE", headers: { cookie } }), slug("overview"))],
  ["GET /api/playlists/overview/tokens", () => tokens.GET(new Request(url("/api/playlists/overview/tokens")), slug("overview"))],
  ["DELETE /api/display-tokens/1", () => displayToken.DELETE(new Request(url("/api/display-tokens/1"), { method: "DELETE", headers: { cookie } }), { params: Promise.resolve({ id: "1" }) })],
];

describe("routes while the database is unreachable", () => {
  let testDatabase: TestDatabase;
  let proxy: TcpProxy;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrateDatabase(testDatabase.url);
    const target = new URL(testDatabase.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const throughProxy = new URL(testDatabase.url);
    throughProxy.hostname = "127.0.0.1";
    throughProxy.port = String(proxy.port);
    database = createDatabase(throughProxy.toString(), "external");
    installDatabase(database);
    await seedReferenceData(database.prisma);
    cookie = (await signedInAccount("operator")).cookie;
  });
  afterAll(async () => {
    await closeDatabase(database);
    await proxy.close();
    await testDatabase.drop();
  });

  it("answers 503 with the uniform error body, not 500", async () => {
    await proxy.cut();
    const answers: Record<string, number> = {};
    for (const [name, call] of calls) {
      const response = await call();
      answers[name] = response.status;
      if (response.status === 503) expect(apiErrorBodySchema.parse(await response.json()).error.code).toBe("unavailable");
    }
    expect(answers).toEqual(Object.fromEntries(calls.map(([name]) => [name, 503])));
  });

  it("answers again once the database is back", async () => {
    await proxy.restore();
    const response = await baselines.GET(new Request(url("/api/baselines")), undefined);
    expect(response.status).toBe(200);
  });
});
