import { expect, test, type Page } from "@playwright/test";

const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] [data-kpi-value]`);
const isDayHistory = (url: URL) => url.pathname === "/api/history" && url.searchParams.get("span") === String(24 * 3600);

test.describe("a failing panel", () => {
  test("shows its own error with a retry while the other panels stay live, and recovers on retry", async ({ page }) => {
    // The day's history is fetched in the browser when the window changes (the first paint had the hour).
    let refused = 0;
    await page.route(isDayHistory, (route) => {
      refused += 1;
      return route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "refused by the test" } }) });
    });

    await page.goto("/");
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    await page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "24 hours", exact: true }).click();

    // The two charts that draw the day's history each say so, in their own place, with a retry
    // (after React Query's own retries: a few seconds).
    const overTime = page.locator('[data-panel="over-time"]');
    const expected = page.locator('[data-panel="expected"]');
    await expect(overTime.locator("[data-panel-error]")).toBeVisible({ timeout: 30_000 });
    await expect(overTime.getByRole("alert")).toContainText("could not load its data");
    await expect(expected.locator("[data-panel-error]")).toBeVisible();
    expect(refused).toBeGreaterThan(0);

    // Everything else is still there, and the numbers still move.
    for (const panel of ["kpi", "matrix", "alerts", "baselines"]) {
      await expect(page.locator(`[data-panel="${panel}"]`)).toBeVisible();
      await expect(page.locator(`[data-panel="${panel}"] [data-panel-error]`)).toHaveCount(0);
    }
    const total = kpi(page, "total");
    const before = await total.textContent();
    await expect.poll(() => total.textContent(), { timeout: 15_000 }).not.toBe(before);

    // Once the history answers again, retry brings the panel back; the other keeps its error
    // until its own retry: each panel's failure is its own.
    await page.unroute(isDayHistory);
    await overTime.getByRole("button", { name: "Retry" }).click();
    await expect(overTime.locator("[data-panel-error]")).toHaveCount(0, { timeout: 30_000 });
    await expect(overTime.locator("canvas").first()).toBeVisible();
    await expect(expected.locator("[data-panel-error]")).toBeVisible();
    await expected.getByRole("button", { name: "Retry" }).click();
    await expect(expected.locator("[data-panel-error]")).toHaveCount(0, { timeout: 30_000 });
    await expect(expected.locator("canvas").first()).toBeVisible();
  });

  test("says so in Chinese on a Chinese page", async ({ page }) => {
    await page.route(isDayHistory, (route) => route.abort());
    await page.goto("/?lang=zh");
    await page.getByRole("group", { name: "时间范围" }).getByRole("button", { name: "24 小时", exact: true }).click();
    const overTime = page.locator('[data-panel="over-time"]');
    await expect(overTime.getByRole("alert")).toContainText("此面板的数据加载失败", { timeout: 30_000 });
    await expect(overTime.getByRole("button", { name: "重试" })).toBeVisible();
  });
});
