import { expect, test, type Page } from "@playwright/test";

// Runs in the "phone" project (390 × 844, touch): see playwright.config.ts.

/** Tiles whose figure is wider than the tile's content box, or runs past the tile's edge. */
async function overflowingKpis(page: Page) {
  return page.locator("[data-kpi]").evaluateAll((tiles) =>
    tiles.flatMap((tile) => {
      const value = tile.querySelector<HTMLElement>("[data-kpi-value]")!;
      const tileBox = tile.getBoundingClientRect();
      const valueBox = value.getBoundingClientRect();
      const overflows = value.scrollWidth > value.clientWidth || tile.scrollWidth > tile.clientWidth || valueBox.right > tileBox.right || valueBox.left < tileBox.left;
      return overflows ? [`${tile.getAttribute("data-kpi")}: “${value.textContent}” ${value.scrollWidth}px in ${value.clientWidth}px`] : [];
    }),
  );
}

for (const lang of ["en", "zh"] as const) {
  test(`the dashboard on a phone shows its KPIs on the first screen, each figure inside its tile (${lang})`, async ({ page }) => {
    await page.goto(`/?lang=${lang}`);
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    await expect(page.locator("[data-kpi]")).toHaveCount(4);
    await expect(page.locator('[data-kpi="total"] [data-kpi-value]')).toHaveText(/\d/);

    // The filters are folded behind one button; the KPI tiles are all on the first screen.
    const toggle = page.locator("[data-filter-toggle]");
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(page.locator("#filter-controls")).toBeHidden();
    const viewport = page.viewportSize()!;
    for (const box of await page.locator("[data-kpi]").evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.bottom).toBeLessThanOrEqual(viewport.height);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    expect(await overflowingKpis(page)).toEqual([]);

    // Unfolded, the filters work as on a desktop.
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const operators = page.getByRole("group", { name: lang === "zh" ? "运营商" : "Operators" });
    await operators.getByRole("button", { name: lang === "zh" ? "中国联通" : "China Unicom" }).click();
    await expect(page).toHaveURL(/operator=china-unicom/);
    await expect(page.locator("[data-kpi]")).toHaveCount(2);
    expect(await overflowingKpis(page)).toEqual([]);
  });
}
