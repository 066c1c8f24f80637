import { readFile } from "node:fs/promises";
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

/** Drags across the middle of a chart's plot, from `start` to `end` (fractions of its width). */
async function dragAcross(page: Page, chart: ReturnType<Page["locator"]>, start: number, end: number) {
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height * 0.5;
  await page.mouse.move(box.x + box.width * start, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((start + end) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * end, y, { steps: 4 });
  await page.mouse.up();
}

test.describe("history you can explore, and export", () => {
  test("dragging across a chart zooms every chart into that range, in the URL; Back undoes it; a control returns to live", async ({ page }) => {
    await page.goto("/?operator=china-mobile");
    await expect(page.locator('[data-chart][data-drawn="worker"]')).toHaveCount(5);
    const before = page.url();
    await dragAcross(page, totalChart(page), 0.3, 0.8);
    await expect(page).toHaveURL(/[?&]from=[^&]+&to=[^&]+/);
    const url = new URL(page.url());
    expect(url.searchParams.get("operator")).toBe("china-mobile");
    const [from, to] = [Date.parse(url.searchParams.get("from")!), Date.parse(url.searchParams.get("to")!)];
    // Half of the 15-minute window, give or take the plot's margins.
    expect(to - from).toBeGreaterThan(4 * 60_000);
    expect(to - from).toBeLessThan(10 * 60_000);
    await expect(page.locator("[data-zoom]")).toContainText("Zoomed to");
    // Every chart follows: each has been redrawn by the worker with its axis on exactly that range.
    await expect(page.locator(`[data-chart][data-axis="${from}-${to}"]`)).toHaveCount(5);
    if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });

    await page.goBack();
    await expect(page).toHaveURL(before);
    await expect(page.locator("[data-zoom]")).toHaveCount(0);

    await page.goForward();
    await expect(page.locator("[data-zoom]")).toBeVisible();
    await page.locator("[data-zoom-reset]").click();
    await expect(page).toHaveURL(before);
    await expect(page.locator("[data-zoom]")).toHaveCount(0);
  });

  test("a chart panel downloads its data as CSV with the view's filter, window, provenance and language", async ({ page }) => {
    await page.goto("/?operator=china-unicom&window=1h&lang=zh");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-panel="over-time"] [data-export-csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/^m2m-pulse-.*\.csv$/);
    const rows = (await readFile((await download.path())!, "utf8")).trimEnd().split("\r\n");
    expect(rows[0]).toBe("时间,运营商,行业,平均值,最小值,最大值,数据来源");
    const body = rows.slice(1).map((row) => row.split(","));
    expect(body.length).toBeGreaterThan(7);
    for (const [time, operator, , , , , provenance] of body) {
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(operator).toBe("china-unicom");
      expect(provenance).toBe("simulated");
    }
    // The view's window: an hour of per-minute buckets.
    const times = body.map(([time]) => Date.parse(time!));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(60 * 60_000);
    expect(new Set(body.map(([, , sector]) => sector)).size).toBe(7);
  });

  test("a chart downloads as a PNG drawn by the worker, with its labels above the plot", async ({ page }) => {
    await page.goto("/?sector=energy&lang=zh");
    await expect(page.locator('[data-chart][data-drawn="worker"]')).toHaveCount(5);
    const chart = page.locator('[data-panel="over-time"] [data-chart="总计"]');
    const [download] = await Promise.all([page.waitForEvent("download"), chart.locator("[data-export-png]").click()]);
    expect(download.suggestedFilename()).toMatch(/^m2m-pulse-.+\.png$/);
    const png = await readFile((await download.path())!);
    if (process.env.SHOT) await download.saveAs(`${process.env.SHOT}.export.png`);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // Taller than the chart: the title, filter, time and provenance lines sit above it.
    const box = (await chart.boundingBox())!;
    const scale = await page.evaluate(() => window.devicePixelRatio);
    expect(png.readUInt32BE(20)).toBeGreaterThan(Math.round(box.height * scale) + 40);
  });

  test("the wall has no zoom and no export controls, and a drag there does nothing", async ({ page }) => {
    await page.goto("/wall");
    await expect(page.locator("[data-chart][data-drawn]")).toHaveCount(5);
    await expect(page.locator("[data-export-png], [data-export-csv], [data-zoom-reset], [data-zoom]")).toHaveCount(0);
    const before = page.url();
    await dragAcross(page, page.locator("[data-chart]").first(), 0.3, 0.8);
    await expect(page.locator("[data-zoom-selection]:not(.hidden)")).toHaveCount(0);
    expect(page.url()).toBe(before);
  });
});
