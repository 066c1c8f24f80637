import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { postgresLease, type Lease } from "@/server/cluster/lease";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { withClient } from "../support/pg-client";
import { eventually } from "../support/stream-server";

// Deadlines for events on a machine shared with other test runs, not expectations of speed.
const WAIT_MS = 30_000;

/** A lease on the test database that records when it was acquired and lost. */
function leaseFor(url: string, nodeName: string, everyMs = 100) {
  const changes: string[] = [];
  const lease = postgresLease({ databaseUrl: url, lease: "singletons", nodeName, retryMs: everyMs, heartbeatMs: everyMs, heartbeatTimeoutMs: 5_000 });
  lease.onChange({ acquired: () => changes.push("acquired"), lost: (reason) => changes.push(`lost: ${reason}`) });
  return { lease, changes };
}

describe("the singletons' lease (a PostgreSQL advisory lock)", () => {
  let testDatabase: TestDatabase;
  let database: Database;
  const leases: Lease[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.url, "external");
    installDatabase(database);
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.stop();
  });
  afterAll(async () => {
    await closeDatabase(database);
    await testDatabase.drop();
  });

  it("is held by one node at a time, named to all, and passes on when the holder's connection dies", { timeout: 120_000 }, async () => {
    // The first's next step is a minute away (its broken connection is noticed at once, by the
    // connection's own error): the second is the one to take over, not a race between the two.
    const first = leaseFor(testDatabase.url, "node-one:1", 60_000);
    const second = leaseFor(testDatabase.url, "node-two:2");
    leases.push(first.lease, second.lease);
    first.lease.start();
    await eventually("the first node holding the lease", () => first.lease.isHeld, WAIT_MS);
    second.lease.start();
    expect(await first.lease.holder()).toBe("node-one:1");
    expect(await second.lease.holder()).toBe("node-one:1");
    // The second keeps trying and keeps being refused.
    await eventually("the second node's tries", async () => {
      const { rows } = await withClient(testDatabase.url, (client) => client.query("SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE application_name = 'm2m-pulse lease node-two:2'"));
      return rows[0].waiting === 1;
    }, WAIT_MS);
    expect(second.lease.isHeld).toBe(false);
    expect(second.changes).toEqual([]);

    // As if the holder's process died: its session ends, and the lock with it.
    await withClient(testDatabase.url, (client) => client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'm2m-pulse lease node-one:1'"));
    await eventually("the second node holding the lease", () => second.lease.isHeld, WAIT_MS);
    await eventually("the first node noticing it lost the lease", () => first.changes.length === 2, WAIT_MS);
    expect(first.changes[0]).toBe("acquired");
    expect(first.changes[1]).toMatch(/^lost: /);
    expect(first.lease.isHeld).toBe(false);
    expect(await first.lease.holder()).toBe("node-two:2");
    expect(second.changes).toEqual(["acquired"]);
  });

  it("is given back at stop, and nobody holds it then", { timeout: 60_000 }, async () => {
    const only = leaseFor(testDatabase.url, "node-three:3");
    only.lease.start();
    await eventually("the node holding the lease", () => only.lease.isHeld, WAIT_MS);
    await only.lease.stop();
    expect(only.changes).toEqual(["acquired", "lost: shutdown"]);
    expect(await only.lease.holder()).toBeNull();
  });
});
