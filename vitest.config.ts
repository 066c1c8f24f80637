import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run server code: the `server-only` marker is its empty module here, as in Next's server bundles.
  resolve: { tsconfigPaths: true, alias: { "server-only": new URL("./node_modules/server-only/empty.js", import.meta.url).pathname } },
  test: {
    setupFiles: ["test/support/quiet-logs.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "server/**/*.test.ts", "components/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
