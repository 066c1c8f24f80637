import { createHmac } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { startReceiver, type Receiver } from "@/test/support/receiver";
import { signIn } from "./support/sign-in";

test.describe("the notifications page", () => {
  let receiver: Receiver;
  test.beforeAll(async () => {
    receiver = await startReceiver();
  });
  test.afterAll(async () => receiver.close());

  test("creates a contact point, and its 'send test' reaches a local receiver; in both languages", async ({ page, context, baseURL }) => {
    const cookie = await signIn(baseURL!);
    const [name, value] = cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: baseURL! }]);

    await page.goto("/admin/notifications?lang=zh");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("告警通知");
    await expect(page.getByRole("heading", { name: "通知渠道", exact: true })).toBeVisible();
    await page.getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/admin\/notifications$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Alert notifications");

    const form = page.getByRole("form", { name: "Add contact point" });
    await form.getByLabel("Name").fill("e2e receiver");
    await form.getByLabel("Kind").selectOption("webhook");
    await form.getByLabel("URL (with its key or token)").fill(`${receiver.url}/pulse-hook`);
    await form.getByLabel("Signing secret").fill("e2e-signing-secret");
    await form.getByRole("checkbox", { name: "Critical" }).check();
    await form.getByRole("button", { name: "Add contact point" }).click();

    const row = page.locator('[data-contact-point="e2e receiver"]');
    await expect(row).toContainText(`http://127.0.0.1:${receiver.port}/…`);
    await expect(row).not.toContainText("e2e-signing-secret");
    await row.getByRole("button", { name: "Send test" }).click();

    const received = await receiver.waitFor((seen) => seen.url === "/pulse-hook", "the test notification");
    expect(received.headers["x-pulse-signature-256"]).toBe(`sha256=${createHmac("sha256", "e2e-signing-secret").update(received.body).digest("hex")}`);
    expect(JSON.parse(received.body)).toMatchObject({ event: "test", title: expect.stringContaining("TEST") });
    await expect(page.locator('[data-delivery][data-state="sent"]').filter({ hasText: "e2e receiver" }).first()).toBeVisible();

    // Changing its rules keeps the stored URL and secret (left empty in the form).
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Change e2e receiver" });
    await edit.getByRole("checkbox", { name: "Warning" }).check();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText("all · all · Warning, Critical");
    await row.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => receiver.received.filter((seen) => seen.url === "/pulse-hook").length).toBe(2);
    const second = receiver.received.filter((seen) => seen.url === "/pulse-hook")[1]!;
    expect(second.headers["x-pulse-signature-256"]).toBe(`sha256=${createHmac("sha256", "e2e-signing-secret").update(second.body).digest("hex")}`);

    await page.goto("/admin/notifications?lang=zh");
    await expect(page.locator('[data-delivery][data-state="sent"]').first()).toContainText("已发送");
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});
