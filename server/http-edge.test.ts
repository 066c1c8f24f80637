import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { createHttpEdge, defaultHostNames, pageContentSecurityPolicy } from "./http-edge";

const withHost = (host: string | undefined) => ({ headers: host === undefined ? {} : { host } }) as Pick<IncomingMessage, "headers">;

describe("the Host allow-list", () => {
  const edge = createHttpEdge({ listenHost: "127.0.0.1", port: () => 3000, allowedHosts: ["pulse.example.com", "kiosk.example.net:8443", "[fd00::1]"], dev: false });

  it("takes loopback names and the listening address on the server's port", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "LocalHost:3000", "localhost.:3000"]) expect(edge.isAllowedHost(withHost(host)), host).toBe(true);
  });

  it("takes a configured name on any port, a configured name:port on that port only", () => {
    for (const host of ["pulse.example.com", "pulse.example.com:443", "kiosk.example.net:8443", "[fd00::1]:80"]) expect(edge.isAllowedHost(withHost(host)), host).toBe(true);
    expect(edge.isAllowedHost(withHost("kiosk.example.net"))).toBe(false);
  });

  it("refuses every other name, port or malformed Host, and a missing one", () => {
    for (const host of ["evil.example", "evil.example:3000", "localhost:3001", "localhost", "127.0.0.2:3000", "pulse.example.com.evil.example", "a b", "localhost:3000@evil", "", undefined]) {
      expect(edge.isAllowedHost(withHost(host)), String(host)).toBe(false);
    }
  });

  it("defaults to every interface address when listening on all of them", () => {
    const names = defaultHostNames("0.0.0.0");
    expect(names).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", "[::1]"]));
    expect(defaultHostNames("10.1.2.3")).toEqual(["localhost", "127.0.0.1", "[::1]", "10.1.2.3"]);
  });
});

describe("the page CSP", () => {
  it("allows scripts by nonce only, and no eval outside development", () => {
    const policy = pageContentSecurityPolicy("abc", "'none'", false);
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(pageContentSecurityPolicy("abc", "'none'", true)).toContain("'unsafe-eval'");
  });
});
