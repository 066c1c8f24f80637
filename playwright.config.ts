import { defineConfig, devices } from "@playwright/test";
import { E2E_PORT } from "./e2e/support/ports";
import { CHROMIUM_ARGS } from "./test/support/chromium";

export default defineConfig({
  testDir: "e2e",
  // Specs and their support reach lib/db (to create and drop databases): `server-only` is empty there.
  tsconfig: "./tsconfig.node.json",
  testMatch: "**/*.spec.ts",
  // One server and one database are shared by the suite; specs that stop or restart a
  // server start their own. Serial keeps timings honest on a 2-core machine.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser on this network.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "chromium", testIgnore: "**/phone.spec.ts", use: { ...devices["Desktop Chrome"], viewport: { width: 1920, height: 1080 } } },
    // The dashboard on a phone: 390 px wide, as the narrowest phones in common use.
    { name: "phone", testMatch: "**/phone.spec.ts", use: { ...devices["Pixel 7"], viewport: { width: 390, height: 844 } } },
  ],
});
