import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { Readable } from "node:stream";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";
import { rawRequest, sameOrigin } from "./support/raw-http";
import { signIn } from "./support/sign-in";
import { captureStreamFrames } from "./support/stream-frames";

const base = `http://127.0.0.1:${E2E_PORT}`;
const MB = 1024 * 1024;

/** VmRSS of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

/** `totalBytes` of JSON-looking text, made 64 KiB at a time as the socket takes it (never held whole). */
function lazyBody(totalBytes: number): Readable & { sent: () => number } {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= totalBytes) return void this.push(null);
      sent += chunk.length;
      this.push(sent === chunk.length ? Buffer.concat([Buffer.from('{"password":"'), chunk.subarray(13)]) : chunk);
    },
  });
  return Object.assign(stream, { sent: () => sent });
}

test.describe("the HTTP edge", () => {
  test("refuses a Host it does not serve (DNS rebinding), for pages, API and the socket handshake", async () => {
    for (const host of ["evil.example", "evil.example:3600", `127.0.0.2:${E2E_PORT}`, `localhost:${E2E_PORT + 1}`]) {
      for (const path of ["/", "/api/health", "/socket.io/?EIO=4&transport=polling"]) {
        const answer = await rawRequest(base, { path, headers: { host } });
        expect(answer.status, `${host} ${path}`).toBe(421);
      }
    }
    for (const host of [`127.0.0.1:${E2E_PORT}`, `localhost:${E2E_PORT}`, `LOCALHOST:${E2E_PORT}`]) {
      expect((await rawRequest(base, { path: "/api/health", headers: { host } })).status, host).toBe(200);
    }
    // The WebSocket upgrade: refused before the handshake, so no 101.
    const upgrade = await new Promise<string>((resolve, reject) => {
      const socket = connect(E2E_PORT, "127.0.0.1", () => {
        socket.write(
          "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        );
      });
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
    });
    expect(upgrade).not.toContain("101 Switching Protocols");
  });

  test("takes JSON only when the content-type is exactly JSON", async () => {
    for (const type of ["text/plain; a=application/json", "text/plain", "application/jsonp", "application/x-www-form-urlencoded; x=application/json"]) {
      const answer = await rawRequest(base, { method: "POST", path: "/api/session", headers: { "content-type": type, ...sameOrigin(base) }, body: '{"password":"x"}' });
      expect(answer.status, type).toBe(415);
    }
  });

  test("refuses oversize and misplaced bodies before reading them", async () => {
    // A declared length over the 1 MiB ceiling: refused at once, without the body being sent.
    const declared = await rawRequest(base, { method: "POST", path: "/api/session", headers: { "content-type": "application/json", "content-length": String(2 * MB), ...sameOrigin(base) } });
    expect(declared.status).toBe(413);
    // A chunked body where no body belongs (a page, a GET).
    for (const path of ["/", "/api/health"]) {
      const answer = await rawRequest(base, { path, headers: { "transfer-encoding": "chunked" }, body: lazyBody(8 * MB) });
      expect(answer.status, path).toBe(413);
    }
    // A chunked body past the route's 64 KiB.
    const chunked = await rawRequest(base, { method: "POST", path: "/api/session", headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...sameOrigin(base) }, body: lazyBody(4 * MB) });
    expect(chunked.status).toBe(413);
  });

  test("answers 4xx, never 500, to odd methods, malformed escapes, out-of-range ids and instants", async () => {
    const cases: [string, string, number][] = [
      ["TRACE", "/api/health", 405],
      ["TRACE", "/api/playlists", 405],
      ["TRACE", "/", 405],
      ["PATCH", "/api/playlists", 405],
      ["POST", "/wall", 405],
      ["GET", "/api/playlists/%zz", 400],
      ["GET", "/api/playlists/%ff", 400],
      ["GET", "/api/playlists/%c0%af", 400],
      ["GET", "/wall/%zz", 400],
      ["DELETE", "/api/display-tokens/2147483648", 400],
      ["GET", "/api/history?from=99999999999999999999", 400],
      ["GET", "/api/history?to=99999999999999999999", 400],
      ["GET", "/api/history?from=8640000000000001", 400],
      ["GET", "/api/alerts?before=0000-01-01T00:00:00Z", 400],
    ];
    // Signed in, so that a change is refused for what is wrong with it and not for who asks.
    const cookie = await signIn(base);
    for (const [method, path, status] of cases) {
      const answer = await rawRequest(base, { method, path, headers: { ...sameOrigin(base), cookie } });
      expect(answer.status, `${method} ${path}: ${answer.body.slice(0, 200)}`).toBe(status);
      if (status === 405) expect(answer.headers.allow, `${method} ${path}`).toBeTruthy();
    }
    expect((await rawRequest(base, { method: "TRACE", path: "/api/playlists" })).headers.allow).toBe("GET, POST, HEAD, OPTIONS");
    // A router-state header Next.js cannot parse (found by the fuzzer).
    for (const tree of ["garbage", "%zz", "%7B%7D"]) {
      const answer = await rawRequest(base, { path: "/wall", headers: { rsc: "1", "next-router-state-tree": tree } });
      expect(answer.status, tree).toBe(400);
    }
  });

  test("closes Next's image optimiser, which would fetch internal paths for anyone", async () => {
    const existing = await rawRequest(base, { path: "/_next/image?url=%2Fapi%2Fplaylists%2Foverview&w=64&q=75" });
    const missing = await rawRequest(base, { path: "/_next/image?url=%2Fapi%2Fplaylists%2Fno-such-wall&w=64&q=75" });
    expect(existing.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(existing.body).toBe(missing.body);
  });

  test("sets the security headers on pages, API answers and static files", async () => {
    const page = await rawRequest(base, { path: "/" });
    expect(page.status).toBe(200);
    const policy = String(page.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    // Next put this response's nonce on every script it wrote, and a new one is made per response.
    const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    expect(String((await rawRequest(base, { path: "/" })).headers["content-security-policy"])).not.toContain(nonce!);

    const wall = await rawRequest(base, { path: "/wall" });
    expect(String(wall.headers["content-security-policy"])).toContain("frame-ancestors 'none'");

    const api = await rawRequest(base, { path: "/api/health" });
    expect(api.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(api.headers["x-content-type-options"]).toBe("nosniff");

    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(chunk).toBeTruthy();
    const asset = await rawRequest(base, { path: chunk! });
    expect(asset.status).toBe(200);
    expect(asset.headers["x-content-type-options"]).toBe("nosniff");
  });

  test("runs the dashboard, a wall and the playlists page under the CSP without a single violation", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => violations.push(`${page.url()}: ${error.message}`));
    const watchViolations = (target: Page) =>
      target.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
      });
    await watchViolations(page);

    const frames = captureStreamFrames(page);
    await page.goto("/");
    await expect(page.locator('[data-connection="live"]')).toBeVisible();
    await expect.poll(() => frames.ticks.length).toBeGreaterThan(1);
    await expect(page.locator('[data-panel="over-time"] canvas').first()).toBeVisible();

    const wallTicks = frames.ticks.length;
    await page.goto("/wall");
    await expect(page.locator("[data-wall-clock]")).toBeVisible();
    await expect.poll(() => frames.ticks.length).toBeGreaterThan(wallTicks + 1);

    await page.goto("/playlists");
    await expect(page.locator("[data-playlist]").first()).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("the HTTP edge under load and with its settings", () => {
  test("cuts a 300 MB chunked upload off with a 413 while serving others, and stays small", async () => {
    test.setTimeout(180_000);
    const own = await startOwnServer(E2E_PORT + 10, {
      HISTORY_BACKFILL_HOURS: "0",
      PULSE_ALLOWED_HOSTS: "pulse.example.com,kiosk.example.net:8443",
      PULSE_FRAME_ANCESTORS: "https://signage.example.com",
    });
    try {
      const pid = own.server.process.pid!;
      const before = rssMiB(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
      const uploads = [0, 1, 2].map(() => {
        const body = lazyBody(300 * MB);
        const started = Date.now();
        return rawRequest(own.url, { method: "POST", path: "/api/session", headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...sameOrigin(own.url) }, body }).then(
          (answer) => ({ status: answer.status, ms: Date.now() - started, sentMiB: body.sent() / MB }),
        );
      });
      // Meanwhile others are served.
      const health = await rawRequest(own.url, { path: "/api/health" });
      const answers = await Promise.all(uploads);
      clearInterval(sampler);
      peak = Math.max(peak, rssMiB(pid));
      // Kept with the test's results (the HTML report, a trace), not printed among them.
      test.info().annotations.push({ type: "measured", description: `RSS before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB; uploads ${JSON.stringify(answers)}` });
      expect(health.status).toBe(200);
      for (const answer of answers) {
        expect(answer.status).toBe(413);
        // Cut off long before the 300 MB were sent.
        expect(answer.sentMiB).toBeLessThan(50);
      }
      expect(peak).toBeLessThan(600);
      expect(peak - before).toBeLessThan(150);
      expect((await rawRequest(own.url, { path: "/api/health" })).status).toBe(200);

      // PULSE_ALLOWED_HOSTS: a listed name on any port, a name:port on that port only.
      expect((await rawRequest(own.url, { path: "/api/health", headers: { host: "pulse.example.com" } })).status).toBe(200);
      expect((await rawRequest(own.url, { path: "/api/health", headers: { host: "pulse.example.com:443" } })).status).toBe(200);
      expect((await rawRequest(own.url, { path: "/api/health", headers: { host: "kiosk.example.net:8443" } })).status).toBe(200);
      expect((await rawRequest(own.url, { path: "/api/health", headers: { host: "kiosk.example.net" } })).status).toBe(421);
      // PULSE_FRAME_ANCESTORS: walls embeddable there, every other page never.
      const wall = await rawRequest(own.url, { path: "/wall" });
      expect(String(wall.headers["content-security-policy"])).toContain("frame-ancestors https://signage.example.com");
      expect(wall.headers["x-frame-options"]).toBeUndefined();
      const playlists = await rawRequest(own.url, { path: "/playlists" });
      expect(String(playlists.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
      expect(playlists.headers["x-frame-options"]).toBe("DENY");
    } finally {
      await own.dispose();
    }
  });
});
