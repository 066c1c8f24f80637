import { describe, expect, it } from "vitest";
import { OPERATOR_SLUGS } from "./catalog";
import { parseSlugList, seriesFilterQuerySchema } from "./filters";

describe("parseSlugList", () => {
  it("keeps known slugs in order, once each, and collects the unknown", () => {
    expect(parseSlugList(" china-unicom,acme,CHINA-MOBILE,china-unicom,,acme ", OPERATOR_SLUGS)).toEqual({
      slugs: ["china-unicom", "china-mobile"],
      unknown: ["acme"],
    });
  });

  it("reads a missing or empty list as no slugs", () => {
    expect(parseSlugList(undefined, OPERATOR_SLUGS)).toEqual({ slugs: [], unknown: [] });
    expect(parseSlugList("", OPERATOR_SLUGS)).toEqual({ slugs: [], unknown: [] });
  });
});

describe("seriesFilterQuerySchema", () => {
  it("parses operator and sector lists", () => {
    expect(seriesFilterQuerySchema.parse({ operator: "china-telecom", sector: "energy,retail" })).toEqual({
      operator: ["china-telecom"],
      sector: ["energy", "retail"],
    });
  });

  it("names every unknown slug and the expected ones", () => {
    const result = seriesFilterQuerySchema.safeParse({ operator: "x,y", sector: "mining" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "unknown operator 'x', 'y'; expected one of china-mobile, china-unicom, china-telecom",
      "unknown sector 'mining'; expected one of energy, transport, smart-city, automotive, healthcare, education, retail",
    ]);
  });
});
