import { describe, expect, it } from "vitest";
import { cameOverTls, checkOrigin, clientAddress, decideAccess, decideMetricsAccess, localPath, roleNeeded, type Principal } from "./access";
import { newSessionId, parseCookies, sessionKey, sessionKeyOf } from "./session";

const get = (path: string) => ({ method: "GET", path });
const post = (path: string) => ({ method: "POST", path });
const display: Principal = { kind: "display", playlistSlug: "lobby" };
const anonymous: Principal = { kind: "anonymous" };
const admin: Principal = { kind: "account", role: "admin" };
const operator: Principal = { kind: "account", role: "operator" };
const viewer: Principal = { kind: "account", role: "viewer" };

const CHANGES = [
  post("/api/playlists"),
  { method: "PUT", path: "/api/playlists/lobby" },
  { method: "DELETE", path: "/api/playlists/lobby" },
  post("/api/playlists/lobby/tokens"),
  { method: "DELETE", path: "/api/display-tokens/1" },
  post("/api/displays/screen-1/reload"),
  post("/api/simulator/incidents"),
  { method: "PATCH", path: "/api/anything-added-later" },
  post("/wall/lobby"),
];

describe("decideAccess", () => {
  it("refuses every change to strangers, whatever PULSE_AUTH says", () => {
    for (const authRequired of [false, true]) {
      for (const request of CHANGES) {
        expect(decideAccess(request, anonymous, authRequired), `${request.method} ${request.path}`).toMatchObject({ allow: false, status: 401 });
        expect(decideAccess(request, display, authRequired)).toMatchObject({ allow: false, status: 403 });
        expect(decideAccess(request, viewer, authRequired)).toMatchObject({ allow: false, status: 403 });
        expect(decideAccess(request, operator, authRequired)).toEqual({ allow: true });
        expect(decideAccess(request, admin, authRequired)).toEqual({ allow: true });
      }
    }
  });

  it("lets everyone view when sign-in is off", () => {
    for (const request of [get("/"), get("/displays"), get("/playlists"), get("/wall/lobby"), get("/api/live"), get("/api/playlists")]) {
      expect(decideAccess(request, anonymous, false)).toEqual({ allow: true });
    }
  });

  it("keeps accounts and the audit log for admins, sign-in on or off", () => {
    for (const authRequired of [false, true]) {
      for (const request of [get("/admin/accounts"), get("/admin/audit"), get("/api/accounts"), get("/api/audit"), post("/api/accounts"), { method: "DELETE", path: "/api/accounts/3" }]) {
        expect(decideAccess(request, admin, authRequired)).toEqual({ allow: true });
        expect(decideAccess(request, operator, authRequired)).toMatchObject({ allow: false, status: 403 });
        expect(decideAccess(request, anonymous, authRequired)).toMatchObject({ allow: false, status: 401 });
      }
    }
  });

  it("keeps notifications (reading included) for operators and admins, sign-in on or off", () => {
    for (const authRequired of [false, true]) {
      for (const request of [get("/admin/notifications"), get("/api/notifications/contact-points"), post("/api/notifications/contact-points/1/test"), get("/api/notifications/deliveries")]) {
        expect(decideAccess(request, admin, authRequired)).toEqual({ allow: true });
        expect(decideAccess(request, operator, authRequired)).toEqual({ allow: true });
        expect(decideAccess(request, viewer, authRequired)).toMatchObject({ allow: false, status: 403 });
        expect(decideAccess(request, anonymous, authRequired)).toMatchObject({ allow: false, status: 401 });
      }
    }
  });

  it("lets every account change its own password, nobody else", () => {
    expect(decideAccess(post("/api/account/password"), viewer, false)).toEqual({ allow: true });
    expect(decideAccess(post("/api/account/password"), anonymous, false)).toMatchObject({ allow: false, status: 401 });
    expect(roleNeeded(post("/api/account/password"))).toBe("viewer");
    expect(roleNeeded(get("/api/live"))).toBeNull();
  });

  it("asks strangers to sign in to view when it is on, except for sign-in, health and static files", () => {
    expect(decideAccess(get("/"), anonymous, true)).toMatchObject({ allow: false, status: 401, signIn: true });
    expect(decideAccess(get("/api/live"), anonymous, true)).toMatchObject({ allow: false, status: 401 });
    for (const path of ["/signin", "/api/health", "/_next/static/chunk.js", "/favicon.ico"]) {
      expect(decideAccess(get(path), anonymous, true)).toEqual({ allow: true });
    }
    expect(decideAccess(post("/api/session"), anonymous, true)).toEqual({ allow: true });
    expect(decideAccess(get("/"), viewer, true)).toEqual({ allow: true });
  });

  it("gives a display token its own wall and the read-only data, nothing more, when sign-in is on", () => {
    expect(decideAccess(get("/wall/lobby"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/api/history"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/api/playlists/lobby"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/wall/boardroom"), display, true)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/"), display, true)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/api/displays"), display, true)).toMatchObject({ allow: false, status: 403 });
  });

  it("does not narrow what a browser with a valid display token views when sign-in is off", () => {
    expect(decideAccess(get("/"), display, false)).toEqual({ allow: true });
  });

  it("refuses a revoked or unknown token everywhere but static files, even with sign-in off", () => {
    expect(decideAccess(get("/wall/lobby"), { kind: "invalid-display" }, false)).toMatchObject({ allow: false, status: 403, signIn: false });
    expect(decideAccess(get("/api/live"), { kind: "invalid-display" }, false)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/_next/static/x.js"), { kind: "invalid-display" }, false)).toEqual({ allow: true });
  });
});

describe("checkOrigin", () => {
  const host = "pulse.example:3000";
  it("accepts the server's own origin and browsers' same-origin requests", () => {
    expect(checkOrigin({ origin: "http://pulse.example:3000", host })).toEqual({ allow: true });
    expect(checkOrigin({ origin: "https://PULSE.example:3000", host })).toEqual({ allow: true });
    expect(checkOrigin({ secFetchSite: "same-origin", host })).toEqual({ allow: true });
    expect(checkOrigin({ secFetchSite: "none", host })).toEqual({ allow: true });
  });

  it("refuses other origins, null and cross-site requests, naming why", () => {
    expect(checkOrigin({ origin: "http://evil.example", host })).toMatchObject({ allow: false, reason: expect.stringContaining("evil.example") });
    expect(checkOrigin({ origin: "http://pulse.example:3001", host })).toMatchObject({ allow: false });
    expect(checkOrigin({ origin: "null", host })).toMatchObject({ allow: false });
    expect(checkOrigin({ origin: "file:///x", host })).toMatchObject({ allow: false });
    expect(checkOrigin({ origin: "http://pulse.example:3000", host: undefined })).toMatchObject({ allow: false });
    expect(checkOrigin({ secFetchSite: "cross-site", host })).toMatchObject({ allow: false, reason: expect.stringContaining("cross-site") });
    expect(checkOrigin({ secFetchSite: "same-site", host })).toMatchObject({ allow: false });
    // A matching Origin decides, whatever Sec-Fetch-Site says; a foreign one is refused even with same-origin.
    expect(checkOrigin({ origin: "http://evil.example", secFetchSite: "same-origin", host })).toMatchObject({ allow: false });
  });

  it("lets clients that are not browsers through (they send neither header and carry no victim's cookies)", () => {
    expect(checkOrigin({ host })).toEqual({ allow: true });
  });
});

describe("proxy headers", () => {
  it("believes X-Forwarded-For and -Proto only when told to trust the proxy", () => {
    expect(clientAddress("::ffff:10.0.0.5", "1.2.3.4", false)).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.5", "6.6.6.6, 1.2.3.4", true)).toBe("1.2.3.4");
    expect(clientAddress("10.0.0.5", undefined, true)).toBe("10.0.0.5");
    expect(cameOverTls(false, "https", false)).toBe(false);
    expect(cameOverTls(false, "https", true)).toBe(true);
    expect(cameOverTls(false, "http", true)).toBe(false);
    expect(cameOverTls(true, undefined, false)).toBe(true);
  });
});

describe("sessions", () => {
  it("accepts only a whole session id: anything appended, cut or forged is no session", () => {
    const id = newSessionId();
    expect(sessionKeyOf(id)).toBe(sessionKey(id));
    expect(sessionKeyOf(`${id}.anything`)).toBeNull();
    expect(sessionKeyOf(`${id}x`)).toBeNull();
    expect(sessionKeyOf(id.slice(1))).toBeNull();
    expect(sessionKeyOf(undefined)).toBeNull();
    expect(sessionKeyOf("1767225600000.c2lnbmF0dXJl")).toBeNull();
  });

  it("reads cookies, ignoring malformed ones", () => {
    expect(parseCookies("a=1; pulse_display=abc%2Fd; bad; c=%E0%A4%A")).toEqual({ a: "1", pulse_display: "abc/d" });
  });
});

describe("localPath (where to go after signing in)", () => {
  it("keeps a path on this site", () => {
    expect(localPath("/")).toBe("/");
    expect(localPath("/wall/lobby?lang=zh")).toBe("/wall/lobby?lang=zh");
  });

  it.each(["//evil.example/", "/\\evil.example/phish", "/\\/evil.example", "/\t/evil.example", "https://evil.example/", "evil", "", undefined, ["/a"]])(
    "refuses %j, which a browser may read as another site",
    (next) => {
      expect(localPath(next)).toBeNull();
    },
  );
});

describe("metrics access", () => {
  it("lets loopback, the bearer token and a signed-in person read /metrics, and no one else", () => {
    const anonymous = { bearerMatches: false, signedIn: false };
    expect(decideMetricsAccess({ ...anonymous, address: "127.0.0.1" }).allow).toBe(true);
    expect(decideMetricsAccess({ ...anonymous, address: "127.8.0.3" }).allow).toBe(true);
    expect(decideMetricsAccess({ ...anonymous, address: "::1" }).allow).toBe(true);
    expect(decideMetricsAccess({ ...anonymous, address: "::ffff:127.0.0.1" }).allow).toBe(true);
    expect(decideMetricsAccess({ ...anonymous, address: "10.1.2.3" })).toMatchObject({ allow: false, status: 401 });
    expect(decideMetricsAccess({ ...anonymous, address: "128.0.0.1" }).allow).toBe(false);
    expect(decideMetricsAccess({ address: "10.1.2.3", bearerMatches: true, signedIn: false }).allow).toBe(true);
    expect(decideMetricsAccess({ address: "10.1.2.3", bearerMatches: false, signedIn: true }).allow).toBe(true);
  });
});
