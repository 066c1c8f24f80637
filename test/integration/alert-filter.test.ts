import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { db } from "@/lib/db/client";
import { fetchAlerts, insertAlert, type NewAlert } from "@/lib/db/alerts";
import { filterShows } from "@/lib/domain/series";
import { openSeededDatabase } from "@/test/support/database";

/**
 * Which alerts a filtered view shows is decided once, by `filterShows`; the SQL behind
 * /api/alerts mirrors it. Random alerts and filters against the real database keep them together.
 */
describe("the alert filter in SQL and in lib/domain agree", () => {
  let database: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    database = await openSeededDatabase();
  });
  afterAll(() => database.close());

  const subject = fc.record({
    operator: fc.constantFrom(...OPERATOR_SLUGS),
    sector: fc.option(fc.constantFrom(...SECTOR_SLUGS), { nil: null }),
  });
  const filter = fc.record({
    operators: fc.uniqueArray(fc.constantFrom(...OPERATOR_SLUGS)),
    sectors: fc.uniqueArray(fc.constantFrom(...SECTOR_SLUGS)),
  });

  it("on random alerts and filters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(subject, { minLength: 1, maxLength: 12 }), filter, async (subjects, view) => {
        await db().alert.deleteMany();
        const inserted = [];
        for (const [index, { operator, sector }] of subjects.entries()) {
          const alert: NewAlert = {
            raisedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
            operator,
            sector,
            kind: "drop",
            severity: "warning",
            observed: 1,
            expected: 2,
            expectedLow: 1.5,
            expectedHigh: 2.5,
            message: "property test",
            provenance: "simulated",
          };
          inserted.push(await insertAlert(alert));
        }
        const listed = await fetchAlerts({ filter: view, limit: 100 });
        const expected = inserted.filter((alert) => filterShows(view, alert)).map((alert) => alert.id);
        expect(listed.map((alert) => alert.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });
});
