import { describe, expect, it } from "vitest";
import type { Alert } from "@/lib/contracts/alerts";
import type { NewAlert } from "@/lib/db/alerts";
import { SERIES_COUNT } from "@/lib/domain/series";
import { AlertService, type AlertChange, type AlertStore } from "./alert-service";
import type { FullTick, TickListener, TickSource } from "./tick-source";

/** Ticks whose every series sits at `level` against an expected 100: 50 is an outage of every operator. */
function fakeSource() {
  const listeners = new Set<TickListener>();
  let seq = 0;
  let instantMs = 1_800_000_000_000;
  return {
    source: {
      onTick: (listener: TickListener) => (listeners.add(listener), () => listeners.delete(listener)),
      expectedAt: () => Array<number>(SERIES_COUNT).fill(100),
      currentInstant: () => instantMs,
    } as unknown as TickSource,
    ticks(count: number, level: number) {
      for (let index = 0; index < count; index++) {
        instantMs += 1000;
        const tick: FullTick = { seq: seq++, instantMs, values: Array<number>(SERIES_COUNT).fill(level), provenance: Array(SERIES_COUNT).fill("simulated"), codes: "" };
        for (const listener of listeners) listener(tick);
      }
    },
  };
}

function memoryStore(open: Alert[]) {
  const inserted: NewAlert[] = [];
  const updates: { id: number; change: Partial<Alert> }[] = [];
  const orphanCalls: (readonly number[])[] = [];
  let nextId = 100;
  const store: AlertStore = {
    insert: async (alert) => (inserted.push(alert), { ...alert, id: nextId++, resolvedAt: null }),
    update: async (id, change) => (updates.push({ id, change }), { ...open[0]!, id, ...change }),
    findOpen: async () => open,
    resolveOrphaned: async (atMs, adopted) => (orphanCalls.push(adopted), open.filter((alert) => !adopted.includes(alert.id)).map((alert) => ({ ...alert, resolvedAt: new Date(atMs).toISOString() }))),
  };
  return { store, inserted, updates, orphanCalls };
}

const storedOutage = (id: number, operator: Alert["operator"]): Alert => ({
  id,
  raisedAt: new Date(1_800_000_003_000).toISOString(),
  operator,
  sector: null,
  kind: "drop",
  severity: "critical",
  observed: 350,
  expected: 700,
  expectedLow: 672,
  expectedHigh: 728,
  message: "",
  provenance: "simulated",
  resolvedAt: null,
});

describe("AlertService under the lease", () => {
  it("stores nothing while following; on leading adopts the stored open alert, raises only what was never stored, and carries the adopted one to its end", async () => {
    const { source, ticks } = fakeSource();
    const { store, inserted, updates, orphanCalls } = memoryStore([storedOutage(7, "china-mobile")]);
    const published: [AlertChange, number][] = [];
    const service = new AlertService(source, store, (change, alert) => published.push([change, alert.id]));
    service.start();

    ticks(8, 50); // every operator out of band long enough to be raised
    await new Promise((resolve) => setImmediate(resolve));
    expect(inserted).toEqual([]);
    expect(published).toEqual([]);

    await service.lead();
    // china-mobile's outage is the stored one (adopted); the other two operators' were never stored.
    expect(orphanCalls).toEqual([[7]]);
    expect(inserted.map((alert) => alert.operator).sort()).toEqual(["china-telecom", "china-unicom"]);

    ticks(12, 100); // back in band: every open alert resolves once
    await service.close();
    expect(inserted).toHaveLength(2);
    expect(updates.map((update) => update.id).sort()).toEqual([100, 101, 7]);
    expect(updates.every((update) => update.change.resolvedAt)).toBe(true);
    expect(published.filter(([change]) => change === "resolved").map(([, id]) => id).sort()).toEqual([100, 101, 7]);
  });

  it("tells the screens of a stored open alert it resolves on taking over, which they still show as open", async () => {
    const { source, ticks } = fakeSource();
    const { store, inserted } = memoryStore([storedOutage(7, "china-mobile")]);
    const published: [AlertChange, number, string | null][] = [];
    const service = new AlertService(source, store, (change, alert) => published.push([change, alert.id, alert.resolvedAt]));
    service.start();
    ticks(8, 100); // in band: the detector has nothing open, so the stored outage is over
    await service.lead();
    await service.close();
    expect(inserted).toEqual([]);
    expect(published).toEqual([["resolved", 7, new Date(source.currentInstant()).toISOString()]]);
  });

  it("stops storing when the lease is lost", async () => {
    const { source, ticks } = fakeSource();
    const { store, inserted } = memoryStore([]);
    const service = new AlertService(source, store, () => {});
    service.start();
    await service.lead();
    service.follow();
    ticks(8, 50);
    await service.close();
    expect(inserted).toEqual([]);
  });
});
