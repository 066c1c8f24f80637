import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sampleAlert } from "@/lib/domain/notifications";
import { buildRequest, dingTalkSign, feishuSign, refusalOf, SIGNATURE_HEADER, webhookSignature } from "./channels";

/*
 * The services publish their algorithms with sample code but no fixed input/output pair (their
 * samples sign the current time). The expected values below were computed by running the
 * services' own published Python samples with the timestamp fixed:
 * - DingTalk (open.dingtalk.com, 自定义机器人 加签): string_to_sign = f"{timestamp}\n{secret}";
 *   hmac.new(secret, string_to_sign, sha256); urllib.parse.quote_plus(base64.b64encode(...)).
 * - Feishu (open.feishu.cn, 自定义机器人 签名校验): key = f"{timestamp}\n{secret}";
 *   hmac.new(key, "", sha256); base64.b64encode(...).
 */
describe("signatures", () => {
  it("signs DingTalk URLs as its documented sample does (millisecond timestamp, URL-encoded Base64)", () => {
    expect(dingTalkSign("this is secret", 1_700_000_000_000)).toBe("sSFWELbV2YwjdDQhWZwTcWlX5BWUx5J6TPpsZmuPii0%3D");
  });

  it("signs Feishu bodies as its documented sample does (key = timestamp\\nsecret, empty message)", () => {
    expect(feishuSign("demo-secret", 1_599_360_473)).toBe("3/MaVZ8JLIy4TUG+7KSFJqvUkTKd+HWY8g+56DZWq8s=");
  });

  it("signs the generic webhook's exact body with HMAC-SHA256, hex, prefixed sha256=", () => {
    const body = '{"hello":"world"}';
    expect(webhookSignature("s3cret", body)).toBe(`sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    // A fixed pair, so a change of algorithm (or of encoding) fails here too.
    expect(webhookSignature("key", "The quick brown fox jumps over the lazy dog")).toBe("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  });
});

describe("requests", () => {
  const message = { id: "42", event: "raised" as const, alert: sampleAlert(Date.UTC(2026, 10, 26, 8)) };
  const now = 1_700_000_000_123;

  it("puts DingTalk's timestamp and sign after the access_token, and sends markdown with a title", () => {
    const request = buildRequest({ kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: "SECxyz" }, message, now);
    expect(request.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=${now}&sign=${dingTalkSign("SECxyz", now)}`);
    const body = JSON.parse(request.body);
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.title).toContain("[RAISED 告警]");
  });

  it("puts Feishu's timestamp (seconds, as a string) and sign in the body", () => {
    const request = buildRequest({ kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "s" }, message, now);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ timestamp: "1700000000", sign: feishuSign("s", 1_700_000_000), msg_type: "text" });
    expect(body.content.text).toContain("China Mobile");
  });

  it("leaves unsigned robots' bodies without timestamp or sign", () => {
    const feishu = JSON.parse(buildRequest({ kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: null }, message, now).body);
    expect(feishu).not.toHaveProperty("sign");
    const wecom = JSON.parse(buildRequest({ kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: null }, message, now).body);
    expect(Object.keys(wecom)).toEqual(["msgtype", "markdown"]);
    const slack = JSON.parse(buildRequest({ kind: "slack", url: "https://hooks.slack.com/services/T/B/X", secret: null }, message, now).body);
    expect(slack.text).toContain("[RAISED 告警]");
    expect(slack.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
  });

  it("signs the generic webhook's body as sent", () => {
    const request = buildRequest({ kind: "webhook", url: "http://127.0.0.1/hook", secret: "k" }, message, now);
    expect(request.headers[SIGNATURE_HEADER]).toBe(webhookSignature("k", request.body));
    expect(JSON.parse(request.body)).toMatchObject({ version: 1, id: "42", event: "raised", alert: { operator: "china-mobile" } });
  });
});

describe("answers", () => {
  it("reads the robots' refusals from a 200 body", () => {
    expect(refusalOf("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(refusalOf("wecom", 200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toBe("refused with code 93000: invalid webhook url");
    expect(refusalOf("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}')).toContain("310000");
    expect(refusalOf("feishu", 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}')).toContain("19021");
    expect(refusalOf("feishu", 200, '{"code":0,"msg":"success"}')).toBeNull();
    expect(refusalOf("slack", 200, "ok")).toBeNull();
    expect(refusalOf("webhook", 500, "oops")).toBe("answered HTTP 500: oops");
    expect(refusalOf("webhook", 302, "")).toBe("answered HTTP 302");
  });
});
