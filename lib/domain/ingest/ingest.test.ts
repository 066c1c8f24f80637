import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SAMPLE_CONNECTIONS } from "@/lib/contracts/ingest";
import { checkInfluxLines, fromMilliseconds, type Precision } from "./influx";
import { checkJsonBatch, parseIsoInstant } from "./json-batch";
import { pointLines } from "./line-protocol";
import { checkMqttMessage } from "./mqtt";
import { parseCsvFeed, parseLineProtocolFeed, planReplay, retryDelayMs } from "./replay";
import { instantProblem, operatorsOutsideScope, type IngestClock } from "./samples";

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0);
const clock: IngestClock = { nowMs: NOW, lateWindowMs: 1440 * 60_000, maxSkewMs: 30_000 };
const item = (overrides: Record<string, unknown> = {}) => ({ operator: "china-mobile", sector: "energy", connections: 9_512_345, at: NOW - 60_000, ...overrides });

describe("parseIsoInstant", () => {
  it("reads date-times with an offset, cutting the fraction to milliseconds", () => {
    expect(parseIsoInstant("2026-11-26T09:00:00Z")).toBe(NOW);
    expect(parseIsoInstant("2026-11-26T17:00:00+08:00")).toBe(NOW);
    expect(parseIsoInstant("2026-11-26T17:00+0800")).toBe(NOW);
    expect(parseIsoInstant("2026-11-26T04:00:00.123456789-05:00")).toBe(NOW + 123);
  });

  it.each(["2026-11-26T09:00:00", "2026-11-26", "2026-02-30T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26 09:00:00Z", "yesterday", "2026-11-26T09:00:00+24:00"])(
    "refuses %j",
    (text) => expect(parseIsoInstant(text)).toBeNull(),
  );

  it("agrees with Date.parse on every instant it is given in ISO form", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), (date) => {
        expect(parseIsoInstant(date.toISOString())).toBe(date.getTime());
      }),
    );
  });
});

describe("the accepted window", () => {
  it("accepts the edges and refuses beyond them, saying which way", () => {
    expect(instantProblem(NOW - clock.lateWindowMs, clock)).toBeNull();
    expect(instantProblem(NOW + clock.maxSkewMs, clock)).toBeNull();
    expect(instantProblem(NOW - clock.lateWindowMs - 1, clock)).toMatch(/^too late: .* more than 1440 minutes/);
    expect(instantProblem(NOW + clock.maxSkewMs + 1, clock)).toMatch(/^in the future: .* more than 30 s/);
  });
});

describe("checkJsonBatch", () => {
  it("stores valid items, refuses each bad one with its index and a reason, and counts repeats in the batch", () => {
    const batch = checkJsonBatch(
      [
        item(),
        item({ operator: "china-moble" }),
        item({ connections: -1 }),
        item({ connections: 1.5 }),
        item({ connections: MAX_SAMPLE_CONNECTIONS + 1 }),
        item({ at: "2026-11-26T09:00:00" }),
        item({ at: NOW - 2 * 86_400_000 }),
        item({ at: NOW + 60_000 }),
        item({ sector: "mining" }),
        { operator: "china-mobile" },
        "text",
        item({ connections: 7 }),
        item({ at: "2026-11-26T16:59:00+08:00" }),
        item({ sector: "retail", connections: 0 }),
      ],
      clock,
    );
    expect(batch.samples).toEqual([
      { operator: "china-mobile", sector: "energy", connections: 9_512_345, atMs: NOW - 60_000 },
      { operator: "china-mobile", sector: "retail", connections: 0, atMs: NOW - 60_000 },
    ]);
    // Items 11 and 12 repeat item 0's series and instant (12 in another offset): the first wins.
    expect(batch.duplicates).toBe(2);
    expect(batch.refused.map((refusal) => ("index" in refusal ? refusal.index : -1))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const reasons = batch.refused.map((refusal) => refusal.reason);
    expect(reasons[0]).toContain('unknown operator "china-moble"');
    expect(reasons[1]).toContain("must not be negative");
    expect(reasons[2]).toContain("whole number");
    expect(reasons[3]).toContain("at most 2147483647");
    expect(reasons[4]).toContain("with an offset");
    expect(reasons[5]).toContain("too late");
    expect(reasons[6]).toContain("in the future");
    expect(reasons[7]).toContain('unknown sector "mining"');
    expect(reasons[8]).toBe("missing sector, connections, at");
  });

  it("never throws, whatever the items", () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), (items) => {
        const batch = checkJsonBatch(items, clock);
        expect(batch.samples.length + batch.refused.length + batch.duplicates).toBe(items.length);
      }),
    );
  });
});

const line = (operator: string, sector: string, value: string, timestamp?: bigint) =>
  `m2m_connections,host=gw-1,operator=${operator},sector=${sector} value=${value}${timestamp === undefined ? "" : ` ${timestamp}`}`;

describe("checkInfluxLines", () => {
  it("reads m2m_connections lines in every precision", () => {
    for (const precision of ["ns", "us", "ms", "s"] as Precision[]) {
      const at = NOW - 120_000;
      const batch = checkInfluxLines(pointLines(line("china-unicom", "smart-city", "42i", fromMilliseconds(at, precision))), precision, clock);
      expect(batch).toEqual({ samples: [{ operator: "china-unicom", sector: "smart-city", connections: 42, atMs: at }], refused: [], duplicates: 0 });
    }
  });

  it("takes a whole float or an unsigned value, a missing timestamp as the server's clock, and refuses the rest by line", () => {
    const ns = (ms: number) => fromMilliseconds(ms, "ns");
    const body = [
      "# a feed",
      line("china-mobile", "energy", "100", ns(NOW - 60_000)),
      line("china-mobile", "energy", "101u", ns(NOW - 60_000)),
      line("china-mobile", "transport", "5"),
      line("china-mobile", "energy", "1.5", ns(NOW)),
      line("china-mobile", "energy", '"many"', ns(NOW)),
      line("china-mobile", "energy", "-3i", ns(NOW)),
      "cpu,host=a usage=1 1",
      "m2m_connections,sector=energy value=1i",
      "m2m_connections,operator=china-mobile,sector=energy count=1i",
      line("china-mobile", "energy", "1i", ns(NOW + 3_600_000)),
      "not line protocol",
    ].join("\n");
    const batch = checkInfluxLines(pointLines(body), "ns", clock);
    expect(batch.samples).toEqual([
      { operator: "china-mobile", sector: "energy", connections: 100, atMs: NOW - 60_000 },
      { operator: "china-mobile", sector: "transport", connections: 5, atMs: NOW },
    ]);
    expect(batch.duplicates).toBe(1);
    expect(batch.refused).toEqual([
      { line: 5, reason: "connections must be a whole number (got 1.5)" },
      { line: 6, reason: "value must be a number of connections, not a string" },
      { line: 7, reason: "value must not be negative (got -3)" },
      { line: 8, reason: 'measurement "cpu" is not m2m_connections' },
      { line: 9, reason: "missing tag operator" },
      { line: 10, reason: "missing field value" },
      { line: 11, reason: expect.stringContaining("in the future") },
      { line: 12, reason: "field \"line\" has no '=value'" },
    ]);
  });

  it("never throws on arbitrary bodies", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom<Precision>("ns", "us", "ms", "s"), (body, precision) => {
        checkInfluxLines(pointLines(body), precision, clock);
      }),
    );
  });
});

describe("operatorsOutsideScope", () => {
  const sample = (operator: "china-mobile" | "china-unicom") => ({ operator, sector: "energy" as const, connections: 1, atMs: NOW });
  it("names the operators a limited key may not write; an unlimited key may write all", () => {
    expect(operatorsOutsideScope([sample("china-mobile"), sample("china-unicom"), sample("china-unicom")], ["china-mobile"])).toEqual(["china-unicom"]);
    expect(operatorsOutsideScope([sample("china-unicom")], [])).toEqual([]);
  });
});

describe("checkMqttMessage", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const check = (topic: string, payload: string) => checkMqttMessage(topic, bytes(payload), "m2m", clock);

  it("reads a bare number (measured on arrival) and JSON with or without at", () => {
    expect(check("m2m/china-mobile/energy/connections", "9512345")).toEqual({ sample: { operator: "china-mobile", sector: "energy", connections: 9_512_345, atMs: NOW } });
    expect(check("m2m/china-unicom/retail/connections", '{"connections": 12, "at": "2026-11-26T16:59:00+08:00"}')).toEqual({
      sample: { operator: "china-unicom", sector: "retail", connections: 12, atMs: NOW - 60_000 },
    });
    expect(check("m2m/china-unicom/retail/connections", `{"connections": 12, "at": ${NOW - 1000}}`)).toMatchObject({ sample: { atMs: NOW - 1000 } });
  });

  it("tells malformed messages from refused samples", () => {
    expect(check("m2m/china-mobile/energy/connections", "lots")).toMatchObject({ malformed: true });
    expect(check("m2m/china-mobile/energy/status", "1")).toMatchObject({ malformed: true });
    expect(check("m2m/china-mobile/energy/connections", "x".repeat(2000))).toMatchObject({ malformed: true, reason: expect.stringContaining("larger than") });
    expect(check("m2m/china-mobile/energy/connections", '{"connections": "5"}')).toMatchObject({ malformed: true });
    expect(check("m2m/china-mobile/mining/connections", "1")).toMatchObject({ malformed: false, reason: expect.stringContaining("unknown sector") });
    expect(check("m2m/china-mobile/energy/connections", "-1")).toMatchObject({ malformed: false });
    expect(check("m2m/china-mobile/energy/connections", `{"connections": 1, "at": ${NOW + 3_600_000}}`)).toMatchObject({ malformed: false, reason: expect.stringContaining("in the future") });
  });

  it("never throws on arbitrary topics and payloads", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 200 }), (topic, payload) => void checkMqttMessage(topic, payload, "m2m", clock)));
  });
});

describe("replay planning", () => {
  const csv = [
    "operator,sector,connections,at",
    "china-mobile,energy,100,2026-11-26T08:00:00Z",
    "china-unicom,energy,50,2026-11-26T08:00:00Z",
    "china-mobile,energy,101,2026-11-26T08:01:00Z",
  ].join("\n");

  it("reads CSV and line-protocol feeds alike, and names the line it cannot read", () => {
    const fromCsv = parseCsvFeed(csv);
    const lp = fromCsv.map((s) => `m2m_connections,operator=${s.operator},sector=${s.sector} value=${s.connections}i ${BigInt(s.atMs) * 1_000_000n}`).join("\n");
    expect(parseLineProtocolFeed(lp)).toEqual(fromCsv);
    expect(fromCsv[2]).toEqual({ operator: "china-mobile", sector: "energy", connections: 101, atMs: Date.UTC(2026, 10, 26, 8, 1) });
    expect(() => parseCsvFeed(`${csv}\nchina-mobile,mining,1,0`)).toThrow("line 5: unknown sector");
    expect(() => parseCsvFeed("operator,sector,at\n")).toThrow("no 'connections' column");
  });

  it("restamps the first sample to the start and later ones at (at − first) / speed, batching what falls due together", () => {
    const plan = planReplay(parseCsvFeed(csv), 1_000_000, 60);
    expect(plan.map((batch) => [batch.dueMs, batch.samples.map((sample) => sample.connections)])).toEqual([
      [1_000_000, [100, 50]],
      [1_001_000, [101]],
    ]);
    expect(plan[1]!.samples[0]!.atMs).toBe(1_001_000);
    expect(planReplay(parseCsvFeed(csv), 0, 1, 1).map((batch) => batch.samples.length)).toEqual([1, 1, 1]);
  });

  it("retries 5xx, 429 (after Retry-After) and network failures with backoff, never other 4xx", () => {
    expect(retryDelayMs(1, 503, null)).toBe(500);
    expect(retryDelayMs(3, null, null)).toBe(2000);
    expect(retryDelayMs(2, 429, "7")).toBe(7000);
    expect(retryDelayMs(1, 400, null)).toBeNull();
    expect(retryDelayMs(1, 401, null)).toBeNull();
    expect(retryDelayMs(20, 503, null)).toBeNull();
    expect(retryDelayMs(7, 500, null)).toBeLessThanOrEqual(30_000);
  });
});
