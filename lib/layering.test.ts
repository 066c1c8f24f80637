import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layering rules in eslint.config.mjs must fire: each case lints a deliberate violation
 * (as if it were a file in that folder) with the project's own configuration.
 */
describe("the layering lint rules", () => {
  // import/no-cycle reads real files, so the import cases (linted as text) run without it.
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: { rules: { "import/no-cycle": "off" } } });
  const violations = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.resolve(filePath) });
    return result!.messages.filter((message) => message.ruleId === "no-restricted-imports");
  };

  it.each([
    ["lib/domain/example.ts", 'import { db } from "@/lib/db/client";\nexport const x = db;\n'],
    ["lib/domain/example.ts", 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n'],
    ["lib/contracts/example.ts", 'import { createLogger } from "@/lib/logger";\nexport const x = createLogger;\n'],
    ["lib/contracts/example.ts", 'import { getRealtime } from "@/server/realtime/registry";\nexport const x = getRealtime;\n'],
    ["components/panels/example.tsx", 'import { fetchAlerts } from "@/lib/db/alerts";\nexport const x = fetchAlerts;\n'],
    ["components/ui/example.tsx", 'import { getRealtime } from "@/server/realtime/registry";\nexport const x = getRealtime;\n'],
    ["lib/queries/example.ts", 'import { getRealtime } from "@/server/realtime/registry";\nexport const x = getRealtime;\n'],
    ["lib/db/example.ts", 'import { getRealtime } from "@/server/realtime/registry";\nexport const x = getRealtime;\n'],
    ["components/ui/example.tsx", 'import { useView } from "@/components/providers/view-context";\nexport const x = useView;\n'],
    ["components/ui/example.tsx", 'import { AlertsFeed } from "@/components/panels/alerts-feed";\nexport const x = AlertsFeed;\n'],
    ["components/ui/example.tsx", 'import { alertsQueryOptions } from "@/lib/queries/alerts";\nexport const x = alertsQueryOptions;\n'],
    ["components/ui/example.tsx", 'import { useLiveStream } from "@/lib/realtime/use-live-stream";\nexport const x = useLiveStream;\n'],
    ["components/providers/example.tsx", 'import { Dashboard } from "@/components/dashboard/dashboard";\nexport const x = Dashboard;\n'],
    ["components/panels/example.tsx", 'import { Dashboard } from "@/components/dashboard/dashboard";\nexport const x = Dashboard;\n'],
    ["components/panels/example.tsx", 'import { WallScreen } from "@/components/wall/wall-screen";\nexport const x = WallScreen;\n'],
  ])("refuses %s importing %j", async (filePath, code) => {
    expect(await violations(filePath, code)).not.toEqual([]);
  }, 60_000);

  it.each([
    ["lib/domain/example.ts", 'import { SERIES } from "@/lib/domain/series";\nexport const x = SERIES;\n'],
    ["server/example.ts", 'import { fetchAlerts } from "@/lib/db/alerts";\nexport const x = fetchAlerts;\n'],
    ["app/example/page.tsx", 'import { getRealtime } from "@/server/realtime/registry";\nexport const x = getRealtime;\n'],
    ["components/ui/example.tsx", 'import { ProvenanceBadge } from "@/components/ui/provenance-badge";\nexport const x = ProvenanceBadge;\n'],
    ["components/panels/example.tsx", 'import { useView } from "@/components/providers/view-context";\nexport const x = useView;\n'],
    ["components/dashboard/example.tsx", 'import { AlertsFeed } from "@/components/panels/alerts-feed";\nexport const x = AlertsFeed;\n'],
  ])("allows %s importing %j", async (filePath, code) => {
    expect(await violations(filePath, code)).toEqual([]);
  }, 60_000);

  describe("cycles", () => {
    const dir = path.resolve("lib/domain/__layering_cycle__");
    beforeAll(() => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b();\n');
      writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = () => a();\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("refuses an import cycle", async () => {
      const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([path.join(dir, "a.ts")]);
      expect(result!.messages.map((message) => message.ruleId)).toContain("import/no-cycle");
    }, 60_000);
  });
});

/**
 * Modules that read the database or the running realtime engine carry the `server-only` marker:
 * if a browser bundle ever reaches one (through a path the lint rules above do not know), Next's
 * build fails instead of shipping database code, or a secret, to the browser.
 */
describe("the server-only marker", () => {
  const serverModules = [
    ...readdirSync("lib/db")
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .map((name) => `lib/db/${name}`),
    "server/realtime/registry.ts",
    "server/prefetch.ts",
  ];

  it.each(serverModules)("marks %s", (file) => {
    expect(readFileSync(file, "utf8")).toMatch(/^import "server-only";$/m);
  });
});
