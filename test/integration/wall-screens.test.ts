import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeToken } from "@/app/api/display-tokens/[id]/route";
import { POST as reloadDisplay } from "@/app/api/displays/[id]/reload/route";
import { GET as listDisplays } from "@/app/api/displays/route";
import { DELETE as deletePlaylist, GET as getPlaylist, PUT as putPlaylist } from "@/app/api/playlists/[slug]/route";
import { GET as listTokens, POST as createToken } from "@/app/api/playlists/[slug]/tokens/route";
import { GET as listPlaylists, POST as postPlaylist } from "@/app/api/playlists/route";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { displaysResponseSchema } from "@/lib/contracts/displays";
import { createdDisplayTokenSchema, displayTokensResponseSchema, playlistResponseSchema, playlistsResponseSchema } from "@/lib/contracts/playlists";
import type { Acknowledgement, StreamSubscribed, SubscribeRequest } from "@/lib/contracts/realtime";
import { db } from "@/lib/db/client";
import { findActiveDisplayToken } from "@/lib/db/display-tokens";
import { SILENT_AFTER_MS } from "@/lib/db/displays";
import { signedInAccount } from "../support/accounts";
import { openSeededDatabase } from "../support/database";
import { startStreamServer, type TestSocket, type TestStreamServer } from "../support/stream-server";

// Changes need a signed-in operator: each suite signs one in on its own database.
let session = "";
const json = (method: string, url: string, body?: unknown) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: body === undefined ? { cookie: session } : { "content-type": "application/json", cookie: session },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });
const errorOf = async (response: Response) => apiErrorBodySchema.parse(await response.json()).error;

const lobby = {
  slug: "lobby",
  name: "Lobby wall",
  views: [
    { title: "Everything", operators: [], sectors: [], window: "15m", dwellSeconds: 30 },
    { title: "Mobile energy", operators: ["china-mobile"], sectors: ["energy"], window: "5m", dwellSeconds: 10 },
  ],
};

async function newToken(slug: string, label = "screen") {
  const response = await createToken(json("POST", `/api/playlists/${slug}/tokens`, { label }), params({ slug }));
  expect(response.status).toBe(201);
  return createdDisplayTokenSchema.parse(await response.json());
}

function socketWithCookie(server: TestStreamServer, cookie: string): TestSocket {
  return connect(server.url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
}

const subscribe = (socket: TestSocket, request: SubscribeRequest) =>
  new Promise<Acknowledgement<StreamSubscribed>>((resolve) => socket.emit("stream:subscribe", request, resolve));

describe("playlists over the API", () => {
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ close } = await openSeededDatabase());
    ({ cookie: session } = await signedInAccount("operator"));
  });
  afterAll(async () => close());

  it("creates, lists, replaces and deletes a playlist", async () => {
    const created = await postPlaylist(json("POST", "/api/playlists", lobby), undefined);
    expect(created.status).toBe(201);
    expect(playlistResponseSchema.parse(await created.json()).playlist.views.map((view) => view.title)).toEqual(["Everything", "Mobile energy"]);

    const listed = playlistsResponseSchema.parse(await (await listPlaylists(json("GET", "/api/playlists"), undefined)).json());
    expect(listed.playlists.map((playlist) => playlist.slug)).toContain("lobby");

    const reordered = await putPlaylist(json("PUT", "/api/playlists/lobby", { name: "Lobby", views: [...lobby.views].reverse() }), params({ slug: "lobby" }));
    expect(reordered.status).toBe(200);
    const fetched = playlistResponseSchema.parse(await (await getPlaylist(json("GET", "/api/playlists/lobby"), params({ slug: "lobby" }))).json());
    expect(fetched.playlist).toMatchObject({ name: "Lobby", views: [{ title: "Mobile energy", dwellSeconds: 10 }, { title: "Everything", dwellSeconds: 30 }] });

    expect((await postPlaylist(json("POST", "/api/playlists", { ...lobby, slug: "temporary" }), undefined)).status).toBe(201);
    expect((await deletePlaylist(json("DELETE", "/api/playlists/temporary"), params({ slug: "temporary" }))).status).toBe(204);
    const gone = await getPlaylist(json("GET", "/api/playlists/temporary"), params({ slug: "temporary" }));
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).message).toBe("no playlist 'temporary'");
  });

  it("refuses a duplicate address with 409 and invalid playlists with a 400 that names the problem", async () => {
    const duplicate = await postPlaylist(json("POST", "/api/playlists", lobby), undefined);
    expect(duplicate.status).toBe(409);
    const cases: [unknown, RegExp][] = [
      [{ ...lobby, slug: "Bad Slug" }, /^slug: expected 1–48 lowercase letters/],
      [{ ...lobby, slug: "x1", views: [] }, /^views: expected at least one view/],
      [{ ...lobby, slug: "x2", views: [{ dwellSeconds: 2 }] }, /^views\.0\.dwellSeconds: expected at least 5 seconds/],
      [{ ...lobby, slug: "x3", views: [{ dwellSeconds: 10, operators: ["acme"] }] }, /unknown operator "acme"/],
      [{ ...lobby, slug: "x4", owner: "me" }, /Unrecognized key: "owner"/],
    ];
    for (const [body, message] of cases) {
      const response = await postPlaylist(json("POST", "/api/playlists", body), undefined);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(response)).message).toMatch(message);
    }
    const badSlug = await getPlaylist(json("GET", "/api/playlists/NOPE!"), params({ slug: "NOPE!" }));
    expect(badSlug.status).toBe(400);
  });

  it("issues display tokens whose secret is shown once and stored only as a hash", async () => {
    const { token, secret, url } = await newToken("lobby", "NOC left");
    expect(url).toBe(`/wall/lobby?token=${secret}`);
    expect(await findActiveDisplayToken(secret)).toEqual({ id: token.id, playlistSlug: "lobby" });
    const listed = await (await listTokens(json("GET", "/api/playlists/lobby/tokens"), params({ slug: "lobby" }))).text();
    expect(displayTokensResponseSchema.parse(JSON.parse(listed)).tokens.map((entry) => entry.label)).toContain("NOC left");
    expect(listed).not.toContain(secret);
  });
});

describe("wall screens on the socket", () => {
  let close: () => Promise<void>;
  let open: TestStreamServer;
  let guarded: TestStreamServer;
  beforeAll(async () => {
    ({ close } = await openSeededDatabase());
    ({ cookie: session } = await signedInAccount("operator"));
    await postPlaylist(json("POST", "/api/playlists", lobby), undefined);
    open = await startStreamServer({ PULSE_AUTH: "off" });
    guarded = await startStreamServer({ PULSE_AUTH: "on" });
  });
  afterAll(async () => {
    await open.stop();
    await guarded.stop();
    await close();
  });

  it("refuses a revoked token at once, on the socket already open and on every new one", async () => {
    const { token, secret } = await newToken("lobby");
    const socket = socketWithCookie(guarded, `pulse_display=${secret}`);
    try {
      expect((await subscribe(socket, { filter: { operators: [], sectors: [] } })).ok).toBe(true);
      const revoked = new Promise((resolve) => socket.once("display:revoked", () => resolve("told")));
      const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));

      const response = await revokeToken(json("DELETE", `/api/display-tokens/${token.id}`), params({ id: String(token.id) }));
      expect(response.status).toBe(200);
      await expect(revoked).resolves.toBe("told");
      await expect(disconnected).resolves.toBe("io server disconnect");

      const again = socketWithCookie(guarded, `pulse_display=${secret}`);
      const refusal = await new Promise<string>((resolve) => again.once("connect_error", (error) => resolve(error.message)));
      expect(refusal).toBe("revoked");
      again.close();
    } finally {
      socket.close();
    }
  });

  it("lets a token watch only its playlist's views when sign-in is on", async () => {
    const { secret } = await newToken("lobby");
    const socket = socketWithCookie(guarded, `pulse_display=${secret}`);
    try {
      expect((await subscribe(socket, { filter: { operators: ["china-mobile"], sectors: ["energy"] } })).ok).toBe(true);
      const refused = await subscribe(socket, { filter: { operators: ["china-unicom"], sectors: [] } });
      expect(refused).toEqual({ ok: false, error: { code: "forbidden", message: "this display may show only the views of playlist 'lobby'" } });
    } finally {
      socket.close();
    }
  });

  it("turns away a socket with neither session nor token when sign-in is on, and takes a session", async () => {
    const stranger = connect(guarded.url, { transports: ["websocket"], forceNew: true, reconnection: false });
    expect(await new Promise<string>((resolve) => stranger.once("connect_error", (error) => resolve(error.message)))).toBe("unauthorized");
    stranger.close();
    const operator = socketWithCookie(guarded, session);
    try {
      expect((await subscribe(operator, { filter: { operators: ["china-unicom"], sectors: [] } })).ok).toBe(true);
    } finally {
      operator.close();
    }
  });

  it("records heartbeats, lists the screen with its health, and reloads it remotely", async () => {
    // The route handlers reach the stream server registered last in this process: `guarded`.
    const socket = socketWithCookie(guarded, session);
    try {
      const heartbeat = { displayId: "screen-noc-01", playlist: "lobby", viewIndex: 1, viewTitle: "Mobile energy", buildId: "test-build", jsHeapBytes: 41_000_000, fps: 59.8 };
      const ack = await new Promise((resolve) => socket.emit("display:heartbeat", heartbeat, resolve));
      expect(ack).toEqual({ ok: true, data: { recorded: true } });
      const bad = await new Promise((resolve) => socket.emit("display:heartbeat", { ...heartbeat, fps: -1 }, resolve));
      expect(bad).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/^fps: /) } });

      const { displays, buildId } = displaysResponseSchema.parse(await (await listDisplays(json("GET", "/api/displays"), undefined)).json());
      expect(buildId).toBe("test-build");
      expect(displays.find((display) => display.id === "screen-noc-01")).toMatchObject({
        playlist: "lobby",
        viewTitle: "Mobile energy",
        health: "ok",
        currentBuild: true,
        connected: true,
        jsHeapBytes: 41_000_000,
      });

      const reloaded = new Promise((resolve) => socket.once("display:reload", () => resolve("reloading")));
      const response = await reloadDisplay(json("POST", "/api/displays/screen-noc-01/reload"), params({ id: "screen-noc-01" }));
      expect(response.status).toBe(202);
      await expect(reloaded).resolves.toBe("reloading");
      expect((await reloadDisplay(json("POST", "/api/displays/screen-elsewhere/reload"), params({ id: "screen-elsewhere" }))).status).toBe(404);
    } finally {
      socket.close();
    }
  });

  it("keeps a live screen's id from a display token, and a token's screen id from everyone else", async () => {
    const { secret } = await newToken("lobby", "claim test");
    const browser = socketWithCookie(guarded, session);
    const screen = socketWithCookie(guarded, `pulse_display=${secret}`);
    const beat = (socket: TestSocket) =>
      new Promise((resolve) =>
        socket.emit("display:heartbeat", { displayId: "screen-claimed", playlist: "lobby", viewIndex: 0, viewTitle: "Everything", buildId: "test-build", jsHeapBytes: 1, fps: 60 }, resolve),
      );
    try {
      expect(await beat(browser)).toEqual({ ok: true, data: { recorded: true } });
      // A (stolen) token cannot take over a signed-in browser's screen while it is alive...
      expect(await beat(screen)).toEqual({ ok: false, error: { code: "forbidden", message: expect.stringMatching(/^display 'screen-claimed' is a signed-in browser's screen/) } });
      // ...and the browser's screen goes on being recorded.
      expect(await beat(browser)).toEqual({ ok: true, data: { recorded: true } });
      // Silent for longer than a screen is shown as alive: the same screen moved to a token keeps its id.
      await db().display.update({ where: { id: "screen-claimed" }, data: { lastSeenAt: new Date(Date.now() - SILENT_AFTER_MS - 1_000) } });
      expect(await beat(screen)).toEqual({ ok: true, data: { recorded: true } });
      // From then on it is the token's: a signed-in browser cannot overwrite it.
      expect(await beat(browser)).toEqual({ ok: false, error: { code: "forbidden", message: "display 'screen-claimed' is registered under another display token" } });
    } finally {
      browser.close();
      screen.close();
    }
  });
});

describe("the access gate over HTTP", () => {
  let close: () => Promise<void>;
  let guarded: TestStreamServer;
  let open: TestStreamServer;
  beforeAll(async () => {
    ({ close } = await openSeededDatabase());
    ({ cookie: session } = await signedInAccount("operator"));
    await postPlaylist(json("POST", "/api/playlists", lobby), undefined);
    await postPlaylist(json("POST", "/api/playlists", { ...lobby, slug: "boardroom" }), undefined);
    guarded = await startStreamServer({ PULSE_AUTH: "on" });
    open = await startStreamServer({ PULSE_AUTH: "off" });
  });
  afterAll(async () => {
    await guarded.stop();
    await open.stop();
    await close();
  });

  const fetchFrom = (server: TestStreamServer, path: string, cookie?: string) =>
    fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });

  it("exchanges a token in the wall URL for a cookie and takes the token out of the address", async () => {
    const { secret } = await newToken("lobby");
    const response = await fetchFrom(guarded, `/wall/lobby?lang=zh&token=${secret}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/wall/lobby?lang=zh");
    expect(response.headers.get("set-cookie")).toMatch(new RegExp(`^pulse_display=${secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=\\d+`));
    const wrongWall = await fetchFrom(guarded, `/wall/boardroom?token=${secret}`);
    expect(wrongWall.status).toBe(403);
  });

  it("asks strangers to sign in, lets a token reach its wall only, and refuses a revoked token everywhere", async () => {
    expect((await fetchFrom(guarded, "/")).headers.get("location")).toBe("/signin?next=%2F");
    const api = await fetchFrom(guarded, "/api/live");
    expect(api.status).toBe(401);
    expect((await errorOf(api)).message).toBe("sign in first");
    expect((await fetchFrom(guarded, "/api/health")).status).toBe(200);

    const { token, secret } = await newToken("lobby");
    const cookie = `pulse_display=${secret}`;
    expect(await (await fetchFrom(guarded, "/wall/lobby", cookie)).text()).toBe("passed");
    expect(await (await fetchFrom(guarded, "/api/history", cookie)).text()).toBe("passed");
    expect((await fetchFrom(guarded, "/wall/boardroom", cookie)).status).toBe(403);
    expect((await fetchFrom(guarded, "/playlists", cookie)).status).toBe(403);

    await revokeToken(json("DELETE", `/api/display-tokens/${token.id}`), params({ id: String(token.id) }));
    for (const server of [guarded, open]) {
      const refused = await fetchFrom(server, "/wall/lobby", cookie);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("data-access-refused");
    }
    expect(await (await fetchFrom(guarded, "/playlists", session)).text()).toBe("passed");
  });

  it("leaves everything open when sign-in is off", async () => {
    expect(await (await fetchFrom(open, "/")).text()).toBe("passed");
    expect(await (await fetchFrom(open, "/api/live")).text()).toBe("passed");
  });
});
