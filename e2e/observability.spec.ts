import { expect, test } from "@playwright/test";
import { recordCookieSecret } from "./support/secrets";
import { signIn } from "./support/sign-in";

test.describe("operability (issue 13)", () => {
  test("serves Prometheus metrics to the bearer token and a signed-in person, counting this run's requests by route template", async ({ baseURL }) => {
    const token = process.env.E2E_METRICS_TOKEN;
    expect(token, "set by e2e/support/global-setup.ts").toBeTruthy();
    expect((await fetch(`${baseURL}/wall/overview?token=not-a-real-token-${Date.now()}`)).status).toBe(403);
    const scraped = await fetch(`${baseURL}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(scraped.headers.get("content-security-policy")).toContain("default-src 'none'");
    const text = await scraped.text();
    expect(text).toMatch(/^pulse_http_requests_total\{method="GET",route="\/wall\/\[slug\]",status="403"\} [1-9]/m);
    expect(text).toMatch(/^pulse_ticks_total [1-9]/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).not.toContain("not-a-real-token");

    const cookie = await signIn(baseURL!);
    recordCookieSecret(cookie);
    expect((await fetch(`${baseURL}/metrics`, { headers: { cookie } })).status).toBe(200);
  });

  test("gives every answer a request id, keeping a plain one the client sent", async ({ baseURL }) => {
    const sent = await fetch(`${baseURL}/api/health`, { headers: { "x-request-id": "e2e-trace-1" } });
    expect(sent.headers.get("x-request-id")).toBe("e2e-trace-1");
    const made = await fetch(`${baseURL}/`, { headers: { "x-request-id": "no good <script>" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
