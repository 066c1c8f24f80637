import { expect, test } from "@playwright/test";

test.describe("report baselines", () => {
  test("are server-rendered with the report's figures in the HTML", async ({ request }) => {
    const response = await request.get("/");
    expect(response.status()).toBe(200);
    const html = await response.text();
    // Present before any JavaScript runs: the baselines were prefetched on the server.
    expect(html).toContain("Share of global M2M connections, 2013");
    expect(html).toContain("4,600");
    expect(html).toContain("GSMA, How China is Set for Global M2M Leadership");
  });

  test("show reported figures with their source and assumptions labelled as such", async ({ page }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto("/");
    const panel = page.locator('[data-panel="baselines"]');

    const asia = panel.locator('[data-baseline="global-share-2013.asia"]');
    await expect(asia).toContainText("40%");
    await expect(asia).toHaveAttribute("title", /GSMA, How China is Set for Global M2M Leadership \(2014\)/);
    // The article's own contradiction is shown, not hidden.
    await expect(asia.getByRole("note")).toContainText("27%");
    await expect(panel.locator('[data-baseline="asia-2013.share"]')).toContainText("40%");
    await expect(panel).toContainText("Source: GSMA, How China is Set for Global M2M Leadership (2014)");

    const meters = panel.locator('[data-baseline="energy.smart-meters-installed"]');
    await expect(meters).toContainText("180 million");
    await expect(meters).toContainText("Alex Chau, Machine Research");
    await expect(meters.locator('[data-provenance="reported"]')).toBeVisible();
    await expect(panel.locator('[data-baseline="transport.etc-lanes"]')).toContainText("26 provinces");
    await expect(panel.locator('[data-baseline="smart-city.cities-signed-up"]')).toContainText("219");

    await panel.getByText("Assumptions (not in the report)").click();
    const mobileShare = panel.locator('[data-baseline="assumption.operator-share.china-mobile"]');
    await expect(mobileShare).toContainText("China Mobile");
    await expect(mobileShare.locator('[data-provenance="assumption"]')).toBeVisible();

    expect(consoleErrors).toEqual([]);
  });
});
