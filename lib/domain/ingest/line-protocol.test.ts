import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLine, parseLine, pointLines, type FieldValue, type Point } from "./line-protocol";

const ok = (line: string) => {
  const result = parseLine(line);
  if (!result.ok) throw new Error(`expected ${line} to parse: ${result.reason}`);
  return result.point;
};

describe("parseLine", () => {
  it("reads the issue's example line", () => {
    const point = ok("m2m_connections,operator=china-mobile,sector=energy value=9512345i 1795645104000000000");
    expect(point.measurement).toBe("m2m_connections");
    expect(Object.fromEntries(point.tags)).toEqual({ operator: "china-mobile", sector: "energy" });
    expect(point.fields.get("value")).toEqual({ type: "integer", value: 9512345n });
    expect(point.timestamp).toBe(1795645104000000000n);
  });

  it("applies InfluxDB's escaping rules", () => {
    const point = ok(String.raw`my\ meas\,ure,tag\ key=a\=b\,c\ d field\=key="say \"hi\" \\ there",other=1.5e3 -12`);
    expect(point.measurement).toBe("my meas,ure");
    expect(point.tags.get("tag key")).toBe("a=b,c d");
    expect(point.fields.get("field=key")).toEqual({ type: "string", value: 'say "hi" \\ there' });
    expect(point.fields.get("other")).toEqual({ type: "float", value: 1500 });
    expect(point.timestamp).toBe(-12n);
    // A backslash before anything else is a backslash.
    expect(ok(String.raw`m,t=a\b v=1u`).tags.get("t")).toBe(String.raw`a\b`);
  });

  it("reads every field type and a missing timestamp", () => {
    const point = ok("m a=1,b=-2i,c=3u,d=t,e=FALSE,f=\"x y,z=\",g=.5");
    expect([...point.fields.values()]).toEqual<FieldValue[]>([
      { type: "float", value: 1 },
      { type: "integer", value: -2n },
      { type: "uinteger", value: 3n },
      { type: "boolean", value: true },
      { type: "boolean", value: false },
      { type: "string", value: "x y,z=" },
      { type: "float", value: 0.5 },
    ]);
    expect(point.timestamp).toBeNull();
  });

  it.each([
    ["", "no measurement"],
    ["m", "expected a space"],
    ["m ", "no fields"],
    ["m,t v=1", "has no '=value'"],
    ["m,t= v=1", "empty value"],
    ["m v=", "no value"],
    ["m v=abc", "is not a number"],
    ['m v="open', "not closed"],
    ["m v=1 12x", "not a whole number"],
    ["m v=99999999999999999999i", "outside 64 bits"],
    ["m v=1 1 2", "not a whole number"],
  ])("refuses %j with a reason (%s)", (line, reason) => {
    const result = parseLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe("pointLines", () => {
  it("numbers lines as an editor does, skipping blanks and comments, allowing CRLF", () => {
    expect(pointLines("# header\r\nm v=1\r\n\n  m v=2\n")).toEqual([
      { line: 2, text: "m v=1" },
      { line: 4, text: "m v=2" },
    ]);
  });
});

// Names without backslashes: a trailing backslash before a separator is ambiguous in line protocol itself.
const name = fc.string({ unit: fc.constantFrom("a", "z", "_", "-", ",", "=", " ", '"', "é", "中", "1"), minLength: 1, maxLength: 12 });
const measurement = name.filter((value) => !value.startsWith("#") && !value.startsWith(" "));
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ type: "float" as const, value: Object.is(value, -0) ? 0 : value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: "integer" as const, value })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type: "uinteger" as const, value })),
  fc.string({ maxLength: 20 }).filter((value) => !value.includes("\n")).map((value) => ({ type: "string" as const, value })),
  fc.boolean().map((value) => ({ type: "boolean" as const, value })),
);
const point: fc.Arbitrary<Point> = fc.record({
  measurement,
  tags: fc.uniqueArray(fc.tuple(name, name), { selector: ([key]) => key, maxLength: 4 }).map((entries) => new Map(entries)),
  fields: fc.uniqueArray(fc.tuple(name, fieldValue), { selector: ([key]) => key, minLength: 1, maxLength: 4 }).map((entries) => new Map(entries)),
  timestamp: fc.option(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { nil: null }),
});

describe("line protocol properties", () => {
  it("reads back every point it writes", () => {
    fc.assert(
      fc.property(point, (original) => {
        expect(parseLine(formatLine(original))).toEqual({ ok: true, point: original });
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary input, and always gives a reason when it refuses", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: fc.constantFrom("m", ",", "=", " ", "\\", '"', "1", "i", "u", "t", ".", "-"), maxLength: 60 })), (line) => {
        const result = parseLine(line);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
