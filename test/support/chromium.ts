/**
 * Debian's Chromium with the flags this network needs: shared by Playwright's e2e config, the
 * benchmarks, the soak test and the screenshot script. Kept apart from harness.ts so the config
 * loads without the database helpers.
 */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
