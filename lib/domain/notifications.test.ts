import { describe, expect, it } from "vitest";
import { describeNotification, isRepeatSuppressed, maskUrl, retryDelayMs, routeMatches, sampleAlert } from "./notifications";

describe("routing", () => {
  const alert = { operator: "china-mobile", sector: "energy", severity: "warning" } as const;
  it("matches everything with empty rules", () => {
    expect(routeMatches({ operators: [], sectors: [], severities: [] }, alert)).toBe(true);
  });
  it("filters by operator, sector and severity", () => {
    expect(routeMatches({ operators: ["china-unicom"], sectors: [], severities: [] }, alert)).toBe(false);
    expect(routeMatches({ operators: ["china-mobile"], sectors: ["energy"], severities: ["warning", "critical"] }, alert)).toBe(true);
    expect(routeMatches({ operators: [], sectors: ["automotive"], severities: [] }, alert)).toBe(false);
    expect(routeMatches({ operators: [], sectors: [], severities: ["critical"] }, alert)).toBe(false);
  });
  it("lets an operator-wide alert through a sector rule", () => {
    expect(routeMatches({ operators: [], sectors: ["automotive"], severities: [] }, { ...alert, sector: null })).toBe(true);
  });
});

describe("repeat suppression", () => {
  it("never holds back raised or resolved, nor a first message", () => {
    expect(isRepeatSuppressed("raised", 1000, 1001, 3600)).toBe(false);
    expect(isRepeatSuppressed("resolved", 1000, 1001, 3600)).toBe(false);
    expect(isRepeatSuppressed("updated", null, 1001, 3600)).toBe(false);
  });
  it("holds back an update within the interval, not after", () => {
    expect(isRepeatSuppressed("updated", 0, 59_999, 60)).toBe(true);
    expect(isRepeatSuppressed("updated", 0, 60_000, 60)).toBe(false);
    expect(isRepeatSuppressed("updated", 0, 1, 0)).toBe(false);
  });
});

describe("backoff", () => {
  it("doubles from the base, capped, with at most a fifth of jitter", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 100, 10_000, () => 0))).toEqual([100, 200, 400, 800]);
    expect(retryDelayMs(20, 100, 10_000, () => 0)).toBe(10_000);
    expect(retryDelayMs(1, 100, 10_000, () => 1)).toBe(120);
  });
});

describe("masking and text", () => {
  it("shows only scheme, host and the last 4 characters", () => {
    expect(maskUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")).toBe("https://qyapi.weixin.qq.com/…5aaa");
    expect(maskUrl("http://127.0.0.1:9/h")).toBe("http://127.0.0.1:9/…");
    expect(maskUrl("https://oapi.dingtalk.com/robot/send?access_token=abc")).toBe("https://oapi.dingtalk.com/…");
    expect(maskUrl("https://open.feishu.cn/open-apis/bot/v2/hook/0f3e5a8c-1111-2222-3333-9c0d1e2f3a4b")).toBe("https://open.feishu.cn/…3a4b");
    expect(maskUrl("not a url")).toBe("…");
  });
  it("says what, where and how bad", () => {
    const text = describeNotification("resolved", { ...sampleAlert(0), resolvedAt: "1970-01-01T00:05:00.000Z" });
    expect(text.title).toBe("[RESOLVED 恢复] warning drop · China Mobile 中国移动 / Energy 能源");
    expect(text.lines.join("\n")).toContain("resolved 1970-01-01T00:05:00.000Z");
  });
});
