import { expect, test } from "@playwright/test";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";
import { signIn } from "./support/sign-in";

test.describe("the alert feed", () => {
  test("keeps an operator-wide alert under a sector filter, live and after a reload", async ({ page }) => {
    // Its own server: the outage below must not disturb the shared server's other specs.
    const own = await startOwnServer(E2E_PORT + 6);
    try {
      await page.goto(`${own.url}/?sector=energy`);
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      const triggered = await fetch(`${own.url}/api/simulator/incidents`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: await signIn(own.url) },
        body: JSON.stringify({ kind: "outage", operator: "china-telecom", magnitude: 0.9, durationSeconds: 600 }),
      });
      expect(triggered.status, await triggered.clone().text()).toBe(201);

      // An operator-wide alert ("all sectors") arrives over the socket into the energy view …
      const operatorWide = page.locator("[data-alert]", { hasText: /China Telecom.*all sectors/ }).first();
      await expect(operatorWide).toBeVisible({ timeout: 30_000 });
      const id = await operatorWide.getAttribute("data-alert");

      // … and the feed fetched anew after a reload still has it.
      await page.reload();
      await expect(page.locator('[data-connection="live"]')).toBeVisible();
      await expect(page.locator(`[data-alert="${id}"]`)).toBeVisible();
    } finally {
      await own.dispose();
    }
  });
});
