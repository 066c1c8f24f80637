import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io as connect, type Socket } from "socket.io-client";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";
import { recordSecret } from "./support/secrets";
import { TEST_ADMIN_PASSWORD, signIn } from "./support/sign-in";

/**
 * Identity and access against the real built server (issue 9, items 3, 5, 7, 8, 12 and 13): nobody
 * changes anything without signing in, sessions end server-side, sockets follow at once, a display
 * token reads only its playlist, and password guessing is throttled.
 */

const baseUrl = `http://127.0.0.1:${E2E_PORT}`;

async function call(url: string, method: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method,
    redirect: "manual",
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const playlist = (slug: string, views: object[] = [{ title: "All", dwellSeconds: 30 }]) => ({ slug, name: `Identity ${slug}`, views });

function socketTo(url: string, headers: Record<string, string>): Socket {
  return connect(url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: headers });
}

async function connected(socket: Socket): Promise<void> {
  if (socket.connected) return; // it may have connected while the test awaited something else
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
}

const refusalOf = (socket: Socket) => new Promise<string>((resolve) => socket.once("connect_error", (error) => resolve(error.message)));
const disconnectOf = (socket: Socket) => new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
type Ack = { ok: boolean; error?: { code: string; message: string } };
const subscribe = (socket: Socket, filter: { operators: string[]; sectors: string[] }) =>
  new Promise<Ack>((resolve) => socket.emit("stream:subscribe", { filter, snapshotTicks: 1 }, resolve));
const heartbeat = (socket: Socket, displayId: string, playlistSlug: string) =>
  new Promise<Ack>((resolve) =>
    socket.emit("display:heartbeat", { displayId, playlist: playlistSlug, viewIndex: 0, viewTitle: "All", buildId: "e2e", jsHeapBytes: null, fps: null }, resolve),
  );

test.describe("changes need a signed-in account, whatever PULSE_AUTH says (default: off)", () => {
  test("an anonymous request can change nothing, and can still view", async () => {
    const changes: [string, string, unknown?][] = [
      ["POST", "/api/playlists", playlist("anonymous")],
      ["PUT", "/api/playlists/overview", { name: "Defaced", views: [{ title: "x", dwellSeconds: 5 }] }],
      ["DELETE", "/api/playlists/overview"],
      ["POST", "/api/playlists/overview/tokens", { label: "stolen" }],
      ["DELETE", "/api/display-tokens/1"],
      ["POST", "/api/displays/screen-0001/reload"],
      ["POST", "/api/simulator/incidents", { kind: "outage", operator: "china-mobile", magnitude: 0.95, durationSeconds: 3600 }],
      ["POST", "/api/accounts", { username: "intruder", role: "admin", password: "intruder-password" }],
    ];
    for (const [method, url, body] of changes) {
      const response = await call(`${baseUrl}${url}`, method, { body });
      expect(response.status, `${method} ${url}: ${response.text}`).toBe(401);
      expect(response.json()).toEqual({ error: { code: "unauthorized", message: expect.stringMatching(/^sign in/) } });
    }
    expect((await call(`${baseUrl}/api/playlists/overview`, "GET")).status).toBe(200);
    expect((await call(`${baseUrl}/api/live?operator=china-mobile&ticks=1`, "GET")).status).toBe(200);
    expect((await call(`${baseUrl}/`, "GET")).status).toBe(200);
    // Registering a fake display is a change too.
    const socket = socketTo(baseUrl, {});
    try {
      await connected(socket);
      expect(await heartbeat(socket, "fake-display-01", "overview")).toMatchObject({ ok: false, error: { code: "forbidden" } });
    } finally {
      socket.close();
    }
  });

  test("roles: a viewer looks, an operator changes, only an admin manages accounts and reads the audit log", async () => {
    const admin = await signIn(baseUrl);
    for (const [username, role] of [
      ["e2e-viewer", "viewer"],
      ["e2e-operator", "operator"],
    ] as const) {
      const created = await call(`${baseUrl}/api/accounts`, "POST", { cookie: admin, body: { username, role, password: `${username}-password` } });
      expect(created.status, created.text).toBe(201);
    }
    const viewer = await signIn(baseUrl, { username: "e2e-viewer", password: "e2e-viewer-password" });
    const operator = await signIn(baseUrl, { username: "e2e-operator", password: "e2e-operator-password" });

    expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: viewer, body: playlist("by-viewer") })).status).toBe(403);
    expect((await call(`${baseUrl}/api/playlists/overview`, "GET", { cookie: viewer })).status).toBe(200);
    // The address recorded is the socket's peer: a client's own x-pulse-client-address is not believed.
    const created = await call(`${baseUrl}/api/playlists`, "POST", { cookie: operator, body: playlist("by-operator"), headers: { "x-pulse-client-address": "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
    expect(created.status).toBe(201);
    expect((await call(`${baseUrl}/api/accounts`, "GET", { cookie: operator })).status).toBe(403);
    expect((await call(`${baseUrl}/api/audit`, "GET", { cookie: operator })).status).toBe(403);
    expect((await call(`${baseUrl}/admin/accounts`, "GET", { cookie: operator })).status).toBe(403);

    const audit = await call(`${baseUrl}/api/audit?action=playlist.create`, "GET", { cookie: admin });
    expect(audit.status).toBe(200);
    expect((audit.json() as { events: unknown[] }).events).toContainEqual(
      expect.objectContaining({ username: "e2e-operator", action: "playlist.create", target: "by-operator", address: "127.0.0.1", at: expect.any(String) }),
    );
    const accountsPage = await call(`${baseUrl}/admin/accounts`, "GET", { cookie: admin });
    expect(accountsPage.status).toBe(200);
  });

  test("a state-changing request from another origin is refused, even carrying a valid session", async () => {
    const admin = await signIn(baseUrl);
    const evil = await call(`${baseUrl}/api/playlists`, "POST", { cookie: admin, body: playlist("from-evil"), headers: { origin: "http://evil.example" } });
    expect(evil.status).toBe(403);
    expect(evil.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("Origin 'http://evil.example' is not this server") } });
    const crossSite = await call(`${baseUrl}/api/playlists`, "POST", { cookie: admin, body: playlist("cross-site"), headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    // Signing in is a change too: no login CSRF.
    expect((await call(`${baseUrl}/api/session`, "POST", { body: { username: "admin", password: TEST_ADMIN_PASSWORD }, headers: { origin: "http://evil.example" } })).status).toBe(403);
    const own = await call(`${baseUrl}/api/playlists`, "POST", { cookie: admin, body: playlist("same-origin"), headers: { origin: baseUrl, "sec-fetch-site": "same-origin" } });
    expect(own.status, own.text).toBe(201);

    const foreignSocket = socketTo(baseUrl, { origin: "http://evil.example" });
    expect(await refusalOf(foreignSocket)).toBe("forbidden origin");
    foreignSocket.close();
    const ownSocket = socketTo(baseUrl, { origin: baseUrl });
    await connected(ownSocket);
    ownSocket.close();
  });

  test("a session cookie must match exactly: text appended to a valid one is refused", async () => {
    const admin = await signIn(baseUrl);
    for (const forged of [`${admin}.anything`, `${admin}x`, admin.slice(0, -1), "pulse_session=1767225600000.c2lnbmF0dXJl"]) {
      expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: forged, body: playlist("forged") })).status, forged).toBe(401);
    }
    expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: admin, body: playlist("exact-cookie") })).status).toBe(201);
  });

  test("signing out ends the session on the server and closes its socket at once", async () => {
    const session = await signIn(baseUrl);
    const socket = socketTo(baseUrl, { cookie: session });
    try {
      await connected(socket);
      expect((await subscribe(socket, { operators: [], sectors: [] })).ok).toBe(true);
      const closed = disconnectOf(socket);
      const signOut = await call(`${baseUrl}/api/session`, "DELETE", { cookie: session });
      expect(signOut.status).toBe(204);
      expect(signOut.headers.get("set-cookie")).toMatch(/^pulse_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
      expect(await closed).toBe("io server disconnect");
      // The old cookie, replayed, is nobody.
      expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: session, body: playlist("after-sign-out") })).status).toBe(401);
      expect((await call(`${baseUrl}/api/session`, "GET", { cookie: session })).json()).toMatchObject({ account: null });
    } finally {
      socket.close();
    }
  });

  test("a new password or a removed account ends that account's sessions and sockets", async () => {
    const admin = await signIn(baseUrl);
    const created = await call(`${baseUrl}/api/accounts`, "POST", { cookie: admin, body: { username: "e2e-leaver", role: "operator", password: "first-password" } });
    const id = (created.json() as { account: { id: number } }).account.id;

    let session = await signIn(baseUrl, { username: "e2e-leaver", password: "first-password" });
    let socket = socketTo(baseUrl, { cookie: session });
    await connected(socket);
    let closed = disconnectOf(socket);
    const changed = await call(`${baseUrl}/api/accounts/${id}`, "PATCH", { cookie: admin, body: { password: "second-password" } });
    expect(changed.json()).toMatchObject({ endedSessions: 1, disconnected: 1 });
    expect(await closed).toBe("io server disconnect");
    expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: session, body: playlist("old-password") })).status).toBe(401);
    socket.close();

    session = await signIn(baseUrl, { username: "e2e-leaver", password: "second-password" });
    socket = socketTo(baseUrl, { cookie: session });
    await connected(socket);
    closed = disconnectOf(socket);
    const removed = await call(`${baseUrl}/api/accounts/${id}`, "DELETE", { cookie: admin });
    expect(removed.json()).toMatchObject({ endedSessions: 1, disconnected: 1 });
    expect(await closed).toBe("io server disconnect");
    expect((await call(`${baseUrl}/api/playlists`, "POST", { cookie: session, body: playlist("removed") })).status).toBe(401);
    socket.close();

    // The last admin cannot be removed or demoted: there is always someone to manage accounts.
    const accounts = (await call(`${baseUrl}/api/accounts`, "GET", { cookie: admin }).then((response) => response.json())) as { accounts: { id: number; username: string }[] };
    const adminId = accounts.accounts.find((account) => account.username === "admin")!.id;
    expect((await call(`${baseUrl}/api/accounts/${adminId}`, "PATCH", { cookie: admin, body: { role: "viewer" } })).status).toBe(409);
    expect((await call(`${baseUrl}/api/accounts/${adminId}`, "DELETE", { cookie: admin })).status).toBe(409);
    // Another admin may remove their own account; the audit entry still says who did it.
    const second = await call(`${baseUrl}/api/accounts`, "POST", { cookie: admin, body: { username: "e2e-second-admin", role: "admin", password: "second-admin-password" } });
    const secondId = (second.json() as { account: { id: number } }).account.id;
    const secondSession = await signIn(baseUrl, { username: "e2e-second-admin", password: "second-admin-password" });
    expect((await call(`${baseUrl}/api/accounts/${secondId}`, "DELETE", { cookie: secondSession })).status).toBe(200);
    const entries = (await call(`${baseUrl}/api/audit?action=account.delete`, "GET", { cookie: admin })).json() as { events: { username: string; target: string }[] };
    expect(entries.events).toContainEqual(expect.objectContaining({ username: "e2e-second-admin", target: "e2e-second-admin" }));
  });
});

test.describe("in the browser", () => {
  test("signs in with a user name on /signin, shows who is signed in, and the audit log lists the sign-in", async ({ page }) => {
    await page.goto("/admin/audit");
    await expect(page).toHaveURL(/\/signin\?next=%2Fadmin%2Faudit$/);
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill(TEST_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await expect(page.locator("[data-signed-in-as=admin]")).toBeVisible();
    await expect(page.locator('[data-audit-action="session.sign-in"]').first()).toBeVisible();
    // The browser's own same-origin requests pass the Origin check.
    await page.goto("/admin/accounts");
    await page.getByLabel("User name").fill("browser-made");
    await page.getByLabel("Password").fill("browser-made-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("[data-account=browser-made]")).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
  });
});

test.describe("with PULSE_AUTH=on: display tokens and open sockets", () => {
  test("a display token reads only its playlist's filters over HTTP, registers only under its playlist, and follows edits and deletion at once", async () => {
    const own = await startOwnServer(E2E_PORT + 21, { PULSE_AUTH: "on" });
    try {
      const admin = await signIn(own.url);
      const views = [
        { title: "Everything", dwellSeconds: 30 },
        { title: "Mobile energy", operators: ["china-mobile"], sectors: ["energy"], dwellSeconds: 30 },
      ];
      expect((await call(`${own.url}/api/playlists`, "POST", { cookie: admin, body: playlist("lobby", views) })).status).toBe(201);
      const minted = async (label: string) => {
        const token = (await call(`${own.url}/api/playlists/lobby/tokens`, "POST", { cookie: admin, body: { label } })).json() as { secret: string };
        recordSecret(token.secret);
        return token;
      };
      const display = `pulse_display=${(await minted("left")).secret}`;
      const other = `pulse_display=${(await minted("right")).secret}`;

      // Item 12: the HTTP rule is the socket's rule.
      const foreign = await call(`${own.url}/api/live?operator=china-telecom&sector=retail&ticks=1`, "GET", { cookie: display });
      expect(foreign.status).toBe(403);
      expect(foreign.json()).toEqual({ error: { code: "forbidden", message: "this display may show only the views of playlist 'lobby'" } });
      expect((await call(`${own.url}/api/history?operator=china-telecom&span=3600`, "GET", { cookie: display })).status).toBe(403);
      expect((await call(`${own.url}/api/live?operator=china-mobile&sector=energy&ticks=1`, "GET", { cookie: display })).status).toBe(200);
      expect((await call(`${own.url}/api/live?ticks=1`, "GET", { cookie: display })).status).toBe(200);

      const socket = socketTo(own.url, { cookie: display });
      const second = socketTo(own.url, { cookie: other });
      try {
        await connected(socket);
        await connected(second);
        expect(await heartbeat(socket, "lobby-screen-01", "boardroom")).toMatchObject({ ok: false, error: { code: "forbidden" } });
        expect(await heartbeat(socket, "lobby-screen-01", "lobby")).toEqual({ ok: true, data: { recorded: true } });
        // Another token cannot take over a display id bound to the first.
        expect(await heartbeat(second, "lobby-screen-01", "lobby")).toMatchObject({ ok: false, error: { code: "forbidden", message: expect.stringContaining("another display token") } });

        // Item 8: an edit that drops the watched view ends that subscription at once.
        expect((await subscribe(socket, { operators: ["china-mobile"], sectors: ["energy"] })).ok).toBe(true);
        const told = new Promise<{ code: string; message: string }>((resolve) => socket.once("client:error", resolve));
        const edited = await call(`${own.url}/api/playlists/lobby`, "PUT", { cookie: admin, body: { name: "Lobby", views: [views[0]] } });
        expect(edited.status).toBe(200);
        expect(await told).toEqual({ code: "forbidden", message: "this view is no longer part of playlist 'lobby'" });
        expect((await subscribe(socket, { operators: ["china-mobile"], sectors: ["energy"] })).ok).toBe(false);
        expect((await subscribe(socket, { operators: [], sectors: [] })).ok).toBe(true);

        // Deleting the playlist closes its screens' sockets at once.
        const revoked = new Promise<string>((resolve) => socket.once("display:revoked", () => resolve("told")));
        const closed = disconnectOf(socket);
        const closedSecond = disconnectOf(second);
        expect((await call(`${own.url}/api/playlists/lobby`, "DELETE", { cookie: admin })).status).toBe(204);
        expect(await revoked).toBe("told");
        expect(await closed).toBe("io server disconnect");
        expect(await closedSecond).toBe("io server disconnect");
      } finally {
        socket.close();
        second.close();
      }
    } finally {
      await own.dispose();
    }
  });
});

test.describe("sign-in", () => {
  test("300 wrong passwords, then the right one: refused with Retry-After; failures logged without the password", async () => {
    test.setTimeout(120_000);
    const own = await startOwnServer(E2E_PORT + 20);
    try {
      const wrong = "wrong-password-guess";
      const statuses = new Map<number, number>();
      for (let attempt = 0; attempt < 300; attempt++) {
        const response = await call(`${own.url}/api/session`, "POST", { body: { username: "admin", password: `${wrong}-${attempt}` } });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
      const answers = `answers to 300 wrong passwords: ${JSON.stringify(Object.fromEntries(statuses))}`;
      // Five free failures (typos), then 429 while the growing delay runs; asking again lengthens it.
      expect(statuses.get(401), answers).toBeGreaterThanOrEqual(6);
      expect(statuses.get(429)).toBeGreaterThan(250);
      expect([...statuses.keys()].sort()).toEqual([401, 429]);

      const right = await call(`${own.url}/api/session`, "POST", { body: { username: "admin", password: TEST_ADMIN_PASSWORD } });
      expect(right.status).toBe(429);
      // Hammering on while told to wait ran the delay up to its 15-minute ceiling.
      expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(800);
      expect(right.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/^too many failed sign-ins; try again in \d+ s$/) } });
      // (That the right password works once the delay has passed is lib/auth/throttle.test.ts, with a 1 s delay.)

      const log = own.server.output();
      // One JSON object a line (pino): the fields, then the message.
      expect(log).toMatch(/"level":"warn",.*"username":"admin","address":"127\.0\.0\.1",.*"msg":"sign-in failed"/);
      expect(log).not.toContain(wrong);
      expect(log).not.toContain(TEST_ADMIN_PASSWORD);
      // ~290 refusals, but the log names only the first few of them (the rest are counted).
      expect(log.match(/sign-in refused while throttled/g)?.length ?? 0).toBeLessThanOrEqual(3);
    } finally {
      await own.dispose();
    }
  });

  test("the first start creates an admin with a one-time password, printed once and written 0600, to be changed before any change", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "pulse-first-admin-"));
    const own = await startOwnServer(E2E_PORT + 22, { PULSE_ADMIN_PASSWORD: undefined, PULSE_DATA_DIR: dataDir });
    try {
      const file = path.join(dataDir, "initial-admin-password");
      const password = (await readFile(file, "utf8")).trim();
      recordSecret(password);
      expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const log = own.server.output();
      // Where to find it, never the password itself: logs are shipped and kept elsewhere.
      expect(log).toContain(file);
      expect(log).not.toContain(password);

      const session = await signIn(own.url, { username: "admin", password });
      expect((await call(`${own.url}/api/session`, "GET", { cookie: session })).json()).toMatchObject({ account: { username: "admin", role: "admin", mustChangePassword: true } });
      const blocked = await call(`${own.url}/api/playlists`, "POST", { cookie: session, body: playlist("too-early") });
      expect(blocked.status).toBe(403);
      expect(blocked.json()).toMatchObject({ error: { message: expect.stringContaining("one-time password") } });

      const changed = await call(`${own.url}/api/account/password`, "POST", { cookie: session, body: { currentPassword: password, newPassword: "my-own-admin-password" } });
      expect(changed.status, changed.text).toBe(200);
      const renewed = /pulse_session=[^;]+/.exec(changed.headers.get("set-cookie") ?? "")![0];
      expect((await call(`${own.url}/api/playlists`, "POST", { cookie: renewed, body: playlist("after-change") })).status).toBe(201);
      // The one-time password is gone with the change.
      expect((await call(`${own.url}/api/session`, "POST", { body: { username: "admin", password } })).status).toBe(401);

      // A restart finds an admin and prints nothing.
      await own.server.stop();
      const again = await own.restart();
      expect(again.output()).not.toContain("one-time password");
    } finally {
      await own.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
