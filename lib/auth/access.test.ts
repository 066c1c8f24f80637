import { describe, expect, it } from "vitest";
import { decideAccess, type Principal } from "./access";
import { createSessionValue, isValidSession, parseCookies, passwordMatches } from "./session";

const get = (path: string) => ({ method: "GET", path });
const post = (path: string) => ({ method: "POST", path });
const display: Principal = { kind: "display", playlistSlug: "lobby" };

describe("decideAccess", () => {
  it("lets everyone in when sign-in is off", () => {
    for (const request of [get("/"), get("/displays"), post("/api/playlists"), get("/wall/lobby")]) {
      expect(decideAccess(request, { kind: "anonymous" }, false)).toEqual({ allow: true });
    }
  });

  it("asks strangers to sign in when it is on, except for sign-in, health and static files", () => {
    expect(decideAccess(get("/"), { kind: "anonymous" }, true)).toMatchObject({ allow: false, status: 401, signIn: true });
    expect(decideAccess(get("/api/live"), { kind: "anonymous" }, true)).toMatchObject({ allow: false, status: 401 });
    for (const path of ["/signin", "/api/health", "/_next/static/chunk.js", "/favicon.ico"]) {
      expect(decideAccess(get(path), { kind: "anonymous" }, true)).toEqual({ allow: true });
    }
    expect(decideAccess(post("/api/session"), { kind: "anonymous" }, true)).toEqual({ allow: true });
  });

  it("gives a display token its own wall and the read-only data, nothing more, when sign-in is on", () => {
    expect(decideAccess(get("/wall/lobby"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/api/history"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/api/playlists/lobby"), display, true)).toEqual({ allow: true });
    expect(decideAccess(get("/wall/boardroom"), display, true)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/"), display, true)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(post("/api/playlists"), display, true)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/api/displays"), display, true)).toMatchObject({ allow: false, status: 403 });
  });

  it("does not narrow a browser with a valid display token when sign-in is off", () => {
    expect(decideAccess(get("/"), display, false)).toEqual({ allow: true });
  });

  it("refuses a revoked or unknown token everywhere but static files, even with sign-in off", () => {
    expect(decideAccess(get("/wall/lobby"), { kind: "invalid-display" }, false)).toMatchObject({ allow: false, status: 403, signIn: false });
    expect(decideAccess(get("/api/live"), { kind: "invalid-display" }, false)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(get("/_next/static/x.js"), { kind: "invalid-display" }, false)).toEqual({ allow: true });
  });

  it("lets a signed-in operator do everything", () => {
    expect(decideAccess(post("/api/playlists"), { kind: "session" }, true)).toEqual({ allow: true });
  });
});

describe("sessions", () => {
  const secret = "s".repeat(32);
  it("accepts its own signature until it expires, and nothing forged", () => {
    const value = createSessionValue(1_000, secret);
    expect(isValidSession(value, 2_000, secret)).toBe(true);
    expect(isValidSession(value, 1_000 + 12 * 3_600_000 + 1, secret)).toBe(false);
    expect(isValidSession(value, 2_000, "t".repeat(32))).toBe(false);
    expect(isValidSession(value.replace(/^\d+/, "99999999999999"), 2_000, secret)).toBe(false);
    expect(isValidSession("garbage", 2_000, secret)).toBe(false);
  });

  it("compares passwords", () => {
    expect(passwordMatches("correct horse", "correct horse")).toBe(true);
    expect(passwordMatches("correct hors", "correct horse")).toBe(false);
  });

  it("reads cookies, ignoring malformed ones", () => {
    expect(parseCookies("a=1; pulse_display=abc%2Fd; bad; c=%E0%A4%A")).toEqual({ a: "1", pulse_display: "abc/d" });
  });
});
