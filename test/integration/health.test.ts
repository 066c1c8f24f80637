import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { healthResponseSchema } from "@/lib/contracts/health";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

async function getHealth() {
  const response = await GET(new Request("http://localhost/api/health"), undefined);
  return { status: response.status, body: healthResponseSchema.parse(await response.json()) };
}

describe("GET /api/health", () => {
  let testDatabase: TestDatabase;
  let proxy: TcpProxy;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const target = new URL(testDatabase.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const throughProxy = new URL(testDatabase.url);
    throughProxy.hostname = "127.0.0.1";
    throughProxy.port = String(proxy.port);
    database = createDatabase(throughProxy.toString(), "external");
    installDatabase(database);
  });
  afterAll(async () => {
    await closeDatabase(database);
    await proxy.close();
    await testDatabase.drop();
  });

  it("answers 200 with database status, latency, version and uptime", async () => {
    const { status, body } = await getHealth();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { status: "up", kind: "external" } });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 while the database is unreachable and 200 again once it is back", async () => {
    await proxy.cut();
    const down = await getHealth();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "degraded", database: { status: "down" } });
    expect(down.body.database.error).toBeTruthy();

    await proxy.restore();
    const up = await getHealth();
    expect(up.status).toBe(200);
    expect(up.body.database.status).toBe("up");
  });
});
