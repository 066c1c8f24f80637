import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPageAvailability, isPagePath } from "./page-availability";

describe("pages while the database is down", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A bare HTTP server answering pages through the check, "rendered" behind it. */
  async function serve(status: () => "up" | "down") {
    let pings = 0;
    const pages = createPageAvailability(async () => {
      pings++;
      return { status: status() };
    });
    server = createServer((request, response) => {
      void pages.refuseWhileDown(new URL(request.url!, "http://x").pathname, response).then((answered) => {
        if (!answered) response.end("rendered");
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pings: () => pings };
  }

  it("answers 503 with a page that retries by itself, instead of rendering", async () => {
    const { url } = await serve(() => "down");
    const response = await fetch(`${url}/wall/lobby`);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(await response.text()).toContain('http-equiv="refresh"');
    // Static files and the API are not held back: the API answers its own 503.
    expect((await fetch(`${url}/_next/static/chunk.js`)).status).toBe(200);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });

  it("renders while the database answers, checking it at most once a second", async () => {
    const { url, pings } = await serve(() => "up");
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${url}/`).then((response) => response.status)));
    expect(answers).toEqual(Array(10).fill(200));
    expect(pings()).toBe(1);
  });

  it("knows a page from a file", () => {
    expect(isPagePath("/")).toBe(true);
    expect(isPagePath("/wall/lobby")).toBe(true);
    expect(isPagePath("/favicon.ico")).toBe(false);
    expect(isPagePath("/api/health")).toBe(false);
  });
});
