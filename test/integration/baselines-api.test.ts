import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/baselines/route";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { baselinesResponseSchema } from "@/lib/contracts/baselines";
import { openSeededDatabase } from "../support/database";

async function getBaselines(query: string) {
  const response = await GET(new Request(`http://localhost/api/baselines${query}`), undefined);
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("GET /api/baselines", () => {
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ close } = await openSeededDatabase());
  });
  afterAll(async () => close());

  it("returns every baseline, reported ones with their source", async () => {
    const { status, body } = await getBaselines("");
    expect(status).toBe(200);
    const { baselines } = baselinesResponseSchema.parse(body);
    expect(baselines.length).toBeGreaterThan(20);
    const lanes = baselines.find((baseline) => baseline.key === "transport.etc-lanes");
    expect(lanes).toMatchObject({ value: 4600, unit: "lanes", provenance: "reported", sector: "transport" });
    expect(lanes?.source).toMatch(/GSMA/);
    expect(baselines.some((baseline) => baseline.provenance === "assumption")).toBe(true);
  });

  it("filters by operator", async () => {
    const { baselines } = baselinesResponseSchema.parse((await getBaselines("?operator=china-unicom")).body);
    expect(baselines.length).toBeGreaterThan(0);
    expect(new Set(baselines.map((baseline) => baseline.operator))).toEqual(new Set(["china-unicom"]));
  });

  it("filters by several sectors given as a comma-separated list", async () => {
    const { baselines } = baselinesResponseSchema.parse((await getBaselines("?sector=energy,transport")).body);
    expect(new Set(baselines.map((baseline) => baseline.sector))).toEqual(new Set(["energy", "transport"]));
    expect(baselines.find((baseline) => baseline.key === "energy.smart-meters-installed")?.value).toBe(180);
  });

  it("answers 400 naming an unknown operator", async () => {
    const { status, body } = await getBaselines("?operator=china-mobile,acme");
    expect(status).toBe(400);
    expect(apiErrorBodySchema.parse(body)).toEqual({
      error: {
        code: "bad_request",
        message: "unknown operator 'acme'; expected one of china-mobile, china-unicom, china-telecom",
      },
    });
  });

  it("answers 400 naming an unknown sector", async () => {
    const { status, body } = await getBaselines("?sector=mining");
    expect(status).toBe(400);
    expect(apiErrorBodySchema.parse(body).error.message).toContain("unknown sector 'mining'");
  });

  it("answers 400 for a parameter it does not know rather than ignoring it", async () => {
    const { status, body } = await getBaselines("?operators=china-mobile");
    expect(status).toBe(400);
    expect(apiErrorBodySchema.parse(body).error.message).toBe("unknown parameter 'operators'; expected operator, sector");
  });
});
