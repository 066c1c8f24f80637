import { expect, test, type Page } from "@playwright/test";

/** Errors of the page and CSP refusals, which would mean the chart worker could not start or draw. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

const totalChart = (page: Page) => page.locator('[data-panel="over-time"] [data-chart="Total"]');

async function hoverUntilTooltip(page: Page) {
  const chart = totalChart(page);
  const box = (await chart.boundingBox())!;
  // A point in the plot area, away from the axes; moved a little until the tooltip answers.
  let step = 0;
  await expect
    .poll(async () => {
      step++;
      await page.mouse.move(box.x + box.width * (0.5 + (step % 5) * 0.05), box.y + box.height * 0.5);
      return chart.locator("[data-chart-tooltip]").textContent();
    })
    .toMatch(/Total: [\d.]+/);
}

test.describe("charts drawn off the page's thread", () => {
  test("the live charts are drawn by the chart worker and show a tooltip on hover", async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto("/");
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    // Every streaming chart on the page has been drawn, in the worker.
    await expect(page.locator('[data-chart][data-drawn="worker"]')).toHaveCount(5);
    expect(page.workers().length).toBeGreaterThanOrEqual(1);
    await hoverUntilTooltip(page);
    if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT, fullPage: true });
    // Leaving the chart hides the tooltip again.
    await page.mouse.move(5, 5);
    await expect(totalChart(page).locator("[data-chart-tooltip]")).toHaveText("");
    expect(errors).toEqual([]);
  });

  test("where the browser cannot draw in a worker, the same charts are drawn on the page's thread", async ({ page }) => {
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      window.__pulseChartsOnMainThread = true;
    });
    await page.goto("/");
    await expect(page.locator('[data-chart][data-drawn="page"]')).toHaveCount(5);
    await hoverUntilTooltip(page);
    expect(errors).toEqual([]);
  });
});
