import { expect, test } from "@playwright/test";

test.describe("the first page", () => {
  test("is server-rendered with the report's figures in the HTML", async ({ request }) => {
    const response = await request.get("/");
    expect(response.status()).toBe(200);
    const html = await response.text();
    // Present before any JavaScript runs: the baselines were prefetched on the server.
    expect(html).toContain("Share of global M2M connections, 2013");
    expect(html).toContain("4,600 lanes");
    expect(html).toContain("GSMA, How China is Set for Global M2M Leadership");
  });

  test("shows reported figures with their source and assumptions labelled as such", async ({ page }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto("/");

    const asia = page.locator('[data-baseline="global-share-2013.asia"]');
    await expect(asia).toContainText("40%");
    await expect(asia.locator('[data-provenance="reported"]')).toHaveText(/reported/i);
    await expect(asia).toContainText("Source: GSMA, How China is Set for Global M2M Leadership (2014)");
    // The article's own contradiction is shown, not hidden.
    await expect(asia.getByRole("note")).toContainText("27%");

    const meters = page.locator('[data-baseline="energy.smart-meters-installed"]');
    await expect(meters).toContainText("180 million meters");
    await expect(meters).toContainText("Alex Chau, Machine Research");

    const mobileShare = page.locator('[data-baseline="assumption.operator-share.china-mobile"]');
    await expect(mobileShare.locator('[data-provenance="assumption"]')).toBeVisible();
    await expect(mobileShare).toContainText("China Mobile");

    expect(consoleErrors).toEqual([]);
  });
});
