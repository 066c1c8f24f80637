import { expect, test } from "@playwright/test";

test.describe("the operators' pages", () => {
  test("are in Simplified Chinese with ?lang=zh, in English without, and switch language in place", async ({ page }) => {
    await page.goto("/playlists?lang=zh");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("大屏轮播列表");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("button", { name: "新建轮播" })).toBeVisible();
    await expect(page.locator('[data-playlist="overview"]')).toContainText("中国移动");
    await expect(page.getByRole("navigation", { name: "页面" }).getByRole("link", { name: "屏幕状态" })).toHaveAttribute("href", "/displays?lang=zh");

    await page.getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/playlists$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Wall-screen playlists");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");

    await page.goto("/displays?lang=zh");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("屏幕状态");

    await page.goto("/signin?lang=zh");
    await expect(page.getByLabel("用户名")).toBeVisible();
    await expect(page.getByLabel("密码", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
    await page.goto("/signin");
    await expect(page.getByLabel("User name")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toBeVisible();
  });

  test("are reached from the dashboard in its language", async ({ page }) => {
    await page.goto("/?lang=zh");
    await page.getByRole("link", { name: "大屏轮播" }).click();
    await expect(page).toHaveURL(/\/playlists\?lang=zh$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("大屏轮播列表");
  });
});
