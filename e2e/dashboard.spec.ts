import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";
import { captureStreamFrames } from "./support/stream-frames";
import { recordTextChanges } from "./support/text-changes";

const CONNECTION_STATUS = "[data-connection]";
const kpi = (page: import("@playwright/test").Page, id: string) => page.locator(`[data-kpi="${id}"] [data-kpi-value]`);

test.describe("the live dashboard", () => {
  test("shows real numbers at first paint and keeps them moving", async ({ page, request }) => {
    // The server-rendered HTML already carries live values, not a spinner.
    const html = await (await request.get("/")).text();
    expect(html).toMatch(/data-kpi-value="[^"]*"[^>]*>\d{1,3}(,\d{3})+</);

    await page.goto("/");
    const total = kpi(page, "total");
    const first = await total.textContent();
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).not.toBe(first);
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    for (const panel of ["kpi", "over-time", "matrix", "expected", "baselines", "alerts"]) {
      await expect(page.locator(`[data-panel="${panel}"]`)).toBeVisible();
    }
    await expect(page.locator('[data-panel="kpi"] header [data-provenance="simulated"]')).toBeVisible();
    // Every matrix cell says which series it is and where its value comes from (here: the simulator).
    await expect(page.locator('[data-panel="matrix"] [data-series][data-provenance="simulated"]')).toHaveCount(21);
  });

  test("filters to one operator from the controls, and the socket then carries only its series", async ({ page }) => {
    const frames = captureStreamFrames(page);
    await page.goto("/");
    await expect.poll(() => frames.ticks.filter((tick) => tick.v.length === 21).length).toBeGreaterThan(1);

    await page.getByRole("group", { name: "Operators" }).getByRole("button", { name: "China Unicom" }).click();
    await expect(page).toHaveURL(/\?operator=china-unicom$/);
    await expect(page.locator("[data-kpi]")).toHaveCount(2); // the total and China Unicom
    await expect(page.locator('[data-kpi="china-unicom"]')).toBeVisible();
    await expect(page.locator('[data-cell^="china-mobile:"]')).toHaveCount(0);
    await expect(page.locator('[data-cell^="china-unicom:"]')).toHaveCount(7);

    // The server answered the new subscription with China Unicom's 7 series, and from then on sends only those.
    await expect.poll(() => frames.answered.some((answer) => answer.series === 7)).toBe(true);
    const switchedAt = frames.ticks.length;
    await expect.poll(() => frames.ticks.length).toBeGreaterThan(switchedAt + 2);
    const after = frames.ticks.slice(frames.ticks.findLastIndex((tick) => tick.v.length === 21) + 1);
    expect(after.length).toBeGreaterThan(1);
    expect(after.every((tick) => tick.v.length === 7)).toBe(true);
  });

  test("reads one operator and one sector from the URL, restores them on reload, and walks back and forward", async ({ page }) => {
    await page.goto("/?operator=china-telecom&sector=energy&window=5m");
    const operators = page.getByRole("group", { name: "Operators" });
    const windows = page.getByRole("group", { name: "Time window" });
    await expect(operators.getByRole("button", { name: "China Telecom" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.locator("[data-cell]")).toHaveCount(1);
    await expect(page.locator('[data-cell="china-telecom:energy"]')).toBeVisible();

    await page.reload();
    await expect(windows.getByRole("button", { name: "5 min", exact: true })).toHaveAttribute("aria-pressed", "true");
    await expect(page.locator('[data-cell="china-telecom:energy"]')).toBeVisible();

    await windows.getByRole("button", { name: "1 hour", exact: true }).click();
    await expect(page).toHaveURL(/window=1h/);
    await page.goBack();
    await expect(page).toHaveURL(/window=5m/);
    await expect(windows.getByRole("button", { name: "5 min", exact: true })).toHaveAttribute("aria-pressed", "true");
    await page.goForward();
    await expect(windows.getByRole("button", { name: "1 hour", exact: true })).toHaveAttribute("aria-pressed", "true");
  });

  test("drops an unknown slug from the URL with a visible notice instead of failing", async ({ page }) => {
    await page.goto("/?operator=acme,china-mobile&sector=steel");
    const notice = page.locator("[data-url-notices]");
    await expect(notice).toHaveAttribute("role", "alert");
    await expect(notice).toContainText("“acme”");
    await expect(notice).toContainText("“steel”");
    await expect(page.locator('[data-kpi="china-mobile"]')).toBeVisible();
    await expect(page.locator("[data-kpi]")).toHaveCount(2);
  });

  test("renders in Simplified Chinese, with 万 and 亿", async ({ page }) => {
    await page.goto("/?lang=zh");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("M2M 脉搏");
    await expect(page.locator('[data-kpi="china-mobile"]')).toContainText("中国移动");
    await expect(kpi(page, "total")).toHaveText(/^[\d,.]+[万亿]$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("group", { name: "行业" }).getByRole("button", { name: "能源" })).toBeVisible();
  });

  for (const theme of ["dark", "light"] as const) {
    test(`has no serious or critical accessibility violations (${theme})`, async ({ page }) => {
      await page.goto(`/?theme=${theme}`);
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      // The alert list scrolls once enough alerts have piled up (how many depends on how long the
      // shared server has run), so it must be focusable whether or not it overflows right now.
      await expect(page.locator('[data-panel="alerts"] ol:not([tabindex="0"])')).toHaveCount(0);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }

  test("can be used from the keyboard alone", async ({ page }) => {
    await page.goto("/");
    const mobile = page.getByRole("group", { name: "Operators" }).getByRole("button", { name: "China Mobile" });
    await mobile.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/operator=china-mobile/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // China Unicom, the next control
    await expect(page).toHaveURL(/operator=china-mobile,china-unicom/);
  });
});

test.describe("a server restart under the dashboard", () => {
  test("shows stale while the server is down and resumes without a gap when it is back", async ({ page }) => {
    // Starts (and restarts) a server of its own: generous on a loaded machine.
    test.setTimeout(120_000);
    const own = await startOwnServer(E2E_PORT + 3);
    try {
      const frames = captureStreamFrames(page);
      const changes = await recordTextChanges(page, [CONNECTION_STATUS]);
      await page.goto(`${own.url}/?operator=china-mobile`);
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      await expect.poll(() => frames.ticks.length).toBeGreaterThan(2);

      expect(await own.server.stop("SIGTERM"), own.server.output()).toBe(0);
      await expect(page.locator('[data-connection="reconnecting"], [data-connection="stale"]')).toBeVisible();
      // The last good values stay on screen, marked stale, while a few ticks go by unserved.
      const lastGood = await kpi(page, "china-mobile").textContent();
      expect(lastGood).toMatch(/\d/);
      await expect(page.locator('[data-panel="kpi"][data-stale]')).toBeVisible();
      // The status counts the age of the last update up each second: wait for three of them.
      const downAt = await changes.now();
      await expect.poll(async () => (await changes.of(CONNECTION_STATUS)).filter((change) => change.at > downAt).length).toBeGreaterThanOrEqual(3);
      await expect(kpi(page, "china-mobile")).toHaveText(lastGood!);

      await own.restart();
      await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 20_000 });
      const resumedAt = frames.ticks.length;
      await expect.poll(() => frames.ticks.length).toBeGreaterThan(resumedAt + 2);

      // Every sequence number from the first to the last, exactly once: the gap was filled.
      const seqs = [...new Set(frames.seqs())].sort((a, b) => a - b);
      expect(seqs.length).toBe(seqs.at(-1)! - seqs[0]! + 1);
      expect(frames.answered.some((answer) => answer.mode === "resume" && answer.ticks.length >= 2)).toBe(true);
    } finally {
      await own.dispose();
    }
  });
});
