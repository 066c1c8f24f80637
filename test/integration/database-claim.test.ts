import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDatabase, DatabaseInUseError, type DatabaseClaim } from "@/lib/db/server-claim";
import { createTestDatabase, type TestDatabase } from "../support/database";

/** The claim refuses with DatabaseInUseError; anything else (a connection error) fails the test. */
async function refusal(url: string, mode: "standalone" | "cluster"): Promise<DatabaseInUseError> {
  const error = await claimDatabase(url, () => {}, mode).then(
    async (claim) => {
      await claim.release();
      throw new Error(`the ${mode} claim was granted`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DatabaseInUseError);
  return error as DatabaseInUseError;
}

describe("claiming the database (standalone alone, cluster nodes together)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("lets cluster nodes share it, and refuses a standalone server beside them, saying how to join", async () => {
    const nodes: DatabaseClaim[] = [];
    try {
      nodes.push(await claimDatabase(database.url, () => {}, "cluster"));
      nodes.push(await claimDatabase(database.url, () => {}, "cluster"));
      const error = await refusal(database.url, "standalone");
      expect(error.message).toMatch(/cluster nodes are using this database \(m2m-pulse pid \d+ .*\(cluster node\)/);
      expect(error.message).toContain("Set REDIS_URL to join the cluster");
    } finally {
      for (const node of nodes) await node.release();
    }
    // Once the nodes are gone, a standalone server may start.
    await (await claimDatabase(database.url, () => {}, "standalone")).release();
  });

  it("refuses a cluster node beside a standalone server, and a second standalone one, naming the holder", async () => {
    const standalone = await claimDatabase(database.url, () => {}, "standalone");
    try {
      const node = await refusal(database.url, "cluster");
      expect(node.message).toMatch(/a standalone M2M Pulse server is using this database \(m2m-pulse pid \d+ on /);
      expect(node.message).toContain("start it with the cluster's REDIS_URL");
      const second = await refusal(database.url, "standalone");
      expect(second.message).toMatch(/another M2M Pulse server is using this database/);
    } finally {
      await standalone.release();
    }
    await (await claimDatabase(database.url, () => {}, "cluster")).release();
  });
});
