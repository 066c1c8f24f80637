import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";
import { recordCookieSecret, recordSecret } from "./support/secrets";
import { signIn } from "./support/sign-in";
import { captureStreamFrames } from "./support/stream-frames";
import { recordTextChanges } from "./support/text-changes";

/** Creating a playlist needs a signed-in operator: signs in as the test admin unless given a session. */
async function createPlaylist(baseUrl: string, slug: string, views: object[], cookie?: string) {
  const response = await fetch(`${baseUrl}/api/playlists`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: cookie ?? (await signIn(baseUrl)) },
    body: JSON.stringify({ slug, name: `Test ${slug}`, views }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

const VIEW_TITLE = "[data-view-title]";
const WALL_CLOCK = "[data-wall-clock]";
const titleOf = (page: Page) => page.locator(VIEW_TITLE).textContent();

test.describe("the wall screen", () => {
  test("shows no control at all and hides the cursor", async ({ page }) => {
    await page.goto("/wall?operator=china-mobile&lang=zh");
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    const controls = page.locator("button, a[href], input, select, textarea, [role=button], [tabindex]:not([tabindex='-1'])");
    const visible = await controls.evaluateAll((elements) => elements.filter((element) => (element as HTMLElement).offsetParent !== null).length);
    expect(visible).toBe(0);
    expect(await page.locator(".wall-root").evaluate((element) => getComputedStyle(element).cursor)).toBe("none");
    // The dashboard's filter and language parameters apply here too.
    await expect(page.locator('[data-kpi="china-mobile"]')).toContainText("中国移动");
    await expect(page.locator("[data-kpi]")).toHaveCount(2);
    await expect(page.locator("[data-wall-clock]")).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expect(page.locator("[data-panel-age]").first()).toBeVisible();
  });

  test("rotates through the playlist in order, for each view's dwell time, round after round", async ({ page, baseURL }) => {
    // Two rounds of 5 + 8 + 5 s dwells, waited for event by event, with room for a loaded machine.
    test.setTimeout(120_000);
    await createPlaylist(baseURL!, "rotation-order", [
      { title: "First", operators: ["china-mobile"], dwellSeconds: 5 },
      { title: "Second", sectors: ["energy"], dwellSeconds: 8 },
      { title: "Third", operators: ["china-telecom"], sectors: ["retail"], dwellSeconds: 5 },
    ]);
    const changes = await recordTextChanges(page, [VIEW_TITLE, WALL_CLOCK]);
    const titles = async () => (await changes.of(VIEW_TITLE)).map((change) => ({ title: change.text.replace(/^ · /, ""), at: change.at }));
    await page.goto("/wall/rotation-order");
    await expect(page.locator(VIEW_TITLE)).toContainText("First");

    await expect.poll(async () => (await titles()).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
    const seen = (await titles()).slice(0, 5);
    expect(seen.map((entry) => entry.title)).toEqual(["First", "Second", "Third", "First", "Second"]);
    // Second stays 8 s, the others 5 s (the first one started with the page, before it was hydrated).
    // Timestamps are the page's own; the bounds leave room for a render delayed by a busy machine.
    const dwells = seen.slice(1).map((entry, index) => (entry.at - seen[index]!.at) / 1000);
    const expectDwell = (measured: number | undefined, seconds: number) => {
      expect(measured).toBeGreaterThan(seconds - 1);
      expect(measured).toBeLessThan(seconds + 3);
    };
    expectDwell(dwells[1], 8);
    expectDwell(dwells[2], 5);
    expectDwell(dwells[3], 5);

    // Keys work, but nothing shows until they are used.
    await expect(page.locator("[data-key-hint]")).toHaveCount(0);
    await page.keyboard.press("Space");
    await expect(page.locator("[data-key-hint]")).toBeVisible();
    const pausedAt = await changes.now();
    const paused = (await titles()).at(-1)!.title;
    // The filter follows the view: First is China Mobile's 7 sectors, Second energy at 3 operators,
    // Third one cell, China Telecom × retail.
    await expect(page.locator("[data-cell]")).toHaveCount({ First: 7, Second: 3, Third: 1 }[paused]!);

    // Paused stays paused: let the page's clock show ten new seconds, past any dwell (8 s at most),
    // and no title change may have reached the page in that time.
    await expect
      .poll(async () => (await changes.of(WALL_CLOCK)).filter((change) => change.at > pausedAt).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(10);
    expect((await titles()).filter((change) => change.at > pausedAt)).toEqual([]);
    await expect(page.locator(VIEW_TITLE)).toHaveText(` · ${paused}`);
    await page.keyboard.press("ArrowRight");
    await expect(page.locator(VIEW_TITLE)).not.toHaveText(` · ${paused}`);
  });

  test("keeps rotating and resumes the data without a gap when the server is killed and restarted", async ({ page }) => {
    // Starts (and restarts) a server of its own: generous on a loaded machine.
    test.setTimeout(120_000);
    const own = await startOwnServer(E2E_PORT + 4);
    try {
      await createPlaylist(own.url, "survivor", [
        { title: "All", dwellSeconds: 6 },
        { title: "Unicom", operators: ["china-unicom"], dwellSeconds: 6 },
      ]);
      const frames = captureStreamFrames(page);
      const changes = await recordTextChanges(page, [WALL_CLOCK]);
      await page.goto(`${own.url}/wall/survivor`);
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      await expect.poll(() => frames.ticks.length).toBeGreaterThan(2);

      own.server.process.kill("SIGKILL");
      await expect(page.locator("[data-stale-overlay]")).toBeVisible({ timeout: 10_000 });
      await expect(page.locator('[data-kpi="total"] [data-kpi-value]')).toHaveText(/\d/);
      // Let a few ticks go unserved (the page's clock shows three more seconds), so there is a gap to fill.
      const downAt = await changes.now();
      await expect.poll(async () => (await changes.of(WALL_CLOCK)).filter((change) => change.at > downAt).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

      await own.restart();
      await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 20_000 });
      await expect(page.locator("[data-stale-overlay]")).toHaveCount(0);
      const resumedAt = frames.ticks.length;
      await expect.poll(() => frames.ticks.length).toBeGreaterThan(resumedAt + 2);
      const seqs = [...new Set(frames.seqs())].sort((a, b) => a - b);
      expect(seqs.length).toBe(seqs.at(-1)! - seqs[0]! + 1);

      // Still in kiosk mode, still rotating.
      const title = await titleOf(page);
      await expect(page.locator("[data-view-title]")).not.toHaveText(title!, { timeout: 10_000 });
      expect(await page.locator("button, a[href], input, select").count()).toBe(0);
    } finally {
      await own.dispose();
    }
  });

  test("refuses a revoked display token, on the open screen and on reload", async ({ browser }) => {
    // Starts (and restarts) a server of its own: generous on a loaded machine.
    test.setTimeout(120_000);
    const own = await startOwnServer(E2E_PORT + 5, { PULSE_AUTH: "on", PULSE_ADMIN_PASSWORD: "wall-screens-e2e" });
    try {
      const signIn = await fetch(`${own.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ password: "wall-screens-e2e" }),
      });
      expect(signIn.status).toBe(200);
      const session = signIn.headers.get("set-cookie")!.split(";")[0]!;
      await createPlaylist(own.url, "noc", [{ title: "All", dwellSeconds: 30 }], session);
      const created = (await (
        await fetch(`${own.url}/api/playlists/noc/tokens`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: session },
          body: JSON.stringify({ label: "e2e screen" }),
        })
      ).json()) as { token: { id: number }; url: string };
      recordSecret(new URL(created.url, own.url).searchParams.get("token"));
      recordCookieSecret(session);

      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${own.url}/`);
      await expect(page).toHaveURL(/\/signin\?next=%2F$/);

      await page.goto(`${own.url}${created.url}`);
      await expect(page).toHaveURL(`${own.url}/wall/noc`); // the token left the address bar
      await expect(page.locator('[data-connection="live"]')).toBeVisible();

      const revoke = await fetch(`${own.url}/api/display-tokens/${created.token.id}`, { method: "DELETE", headers: { cookie: session } });
      expect(revoke.status).toBe(200);
      await expect(page.locator("[data-revoked]")).toBeVisible();
      await page.reload();
      await expect(page.locator("[data-access-refused]")).toBeVisible();
      await context.close();
    } finally {
      await own.dispose();
    }
  });

  for (const [width, height, name] of [
    [1920, 1080, "1080p"],
    [3840, 2160, "4k"],
  ] as const) {
    test(`fills a ${name} screen without scrolling, with type scaled to it`, async ({ browser }, testInfo) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const changes = await recordTextChanges(page, [WALL_CLOCK]);
      await page.goto("/wall/overview");
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      // Measure a settled screen: every panel drawn and two more live seconds rendered after that.
      await expect(page.locator("[data-cell]")).toHaveCount(21);
      await expect(page.locator("canvas").first()).toBeVisible();
      const drawnAt = await changes.now();
      await expect.poll(async () => (await changes.of(WALL_CLOCK)).filter((change) => change.at > drawnAt).length).toBeGreaterThanOrEqual(2);
      const size = await page.evaluate(() => ({
        scrollHeight: document.documentElement.scrollHeight,
        innerHeight: window.innerHeight,
        kpiFont: parseFloat(getComputedStyle(document.querySelector("[data-kpi-value]")!).fontSize),
      }));
      expect(size.scrollHeight).toBeLessThanOrEqual(size.innerHeight);
      // About 35px figures on 1080p and twice that on 4K: legible from across a room.
      expect(size.kpiFont).toBeGreaterThanOrEqual(width >= 3840 ? 60 : 30);
      await page.screenshot({ path: testInfo.outputPath(`wall-${name}.png`) });
      await page.screenshot({ path: `test-results/wall-${name}.png` });
      await page.close();
    });
  }
});
