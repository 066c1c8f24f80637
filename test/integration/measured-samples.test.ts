import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredSample } from "@/lib/contracts/ingest";
import { storeSamples } from "@/lib/db/samples";
import { openSeededDatabase } from "../support/database";
import { withClient } from "../support/pg-client";

let url = "";
let close: () => Promise<void>;
beforeAll(async () => ({ url, close } = await openSeededDatabase()));
afterAll(async () => close());

const sample = (atMs: number, connections: number): StoredSample => ({ operator: "china-unicom", sector: "transport", connections, atMs, receivedAtMs: Date.now(), source: "http" });

describe("storeSamples under concurrency", () => {
  it("keeps a minute's measured rollup the aggregate of all its samples when batches for it commit at the same time", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    // Twenty batches at once, each with one sample of the same series and minute.
    const results = await Promise.all(Array.from({ length: 20 }, (_, second) => storeSamples([sample(minute + second * 1000, 100 + second)])));
    expect(results.every((result) => result.stored.length === 1)).toBe(true);
    const rollup = await withClient(url, async (client) =>
      (await client.query("SELECT min, max, samples, last FROM connection_rollup WHERE operator_slug = 'china-unicom' AND sector_slug = 'transport' AND minute = $1", [new Date(minute)])).rows[0],
    );
    expect(rollup).toEqual({ min: 100, max: 119, samples: 20, last: 119 });
  });
});
