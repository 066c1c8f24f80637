import { describe, expect, it } from "vitest";
import type { Playlist } from "@/lib/contracts/playlists";
import { displayFilterRefusal, filterOfQuery } from "./display-scope";
import { heartbeatRefusal } from "./realtime/display-fleet";

const lobby: Playlist = {
  slug: "lobby",
  name: "Lobby",
  updatedAt: "2026-01-01T00:00:00.000Z",
  views: [
    { title: "All", operators: [], sectors: [], window: "15m", dwellSeconds: 30 },
    { title: "Mobile energy", operators: ["china-mobile"], sectors: ["energy"], window: "5m", dwellSeconds: 30 },
  ],
};

describe("what a display token may read", () => {
  it("allows exactly its playlist's views, in any order of slugs, over HTTP as over the socket", () => {
    expect(displayFilterRefusal("lobby", lobby, { operators: [], sectors: [] })).toBeNull();
    expect(displayFilterRefusal("lobby", lobby, filterOfQuery(new URLSearchParams("sector=energy&operator=china-mobile")))).toBeNull();
    expect(displayFilterRefusal("lobby", lobby, filterOfQuery(new URLSearchParams("operator=china-telecom&sector=retail")))).toBe(
      "this display may show only the views of playlist 'lobby'",
    );
    expect(displayFilterRefusal("lobby", null, { operators: [], sectors: [] })).not.toBeNull();
  });
});

describe("who may register a screen", () => {
  const heartbeat = { displayId: "screen-0001", playlist: "lobby", viewIndex: 0, viewTitle: "All", buildId: "b", jsHeapBytes: null, fps: null };
  it("a display token only under its own playlist, a signed-in session, and nobody else", () => {
    const token = { id: 1, playlistSlug: "lobby" };
    expect(heartbeatRefusal(heartbeat, { displayToken: token })).toBeNull();
    expect(heartbeatRefusal({ ...heartbeat, playlist: "boardroom" }, { displayToken: token })).toMatch(/playlist 'lobby' only/);
    expect(heartbeatRefusal(heartbeat, { displayToken: null, sessionKey: "k", role: "operator" })).toBeNull();
    expect(heartbeatRefusal(heartbeat, { displayToken: null, sessionKey: "k", role: "admin" })).toBeNull();
    expect(heartbeatRefusal(heartbeat, { displayToken: null, sessionKey: "k", role: "viewer" })).toMatch(/viewer account cannot register/);
    expect(heartbeatRefusal(heartbeat, { displayToken: null })).toMatch(/display token/);
  });
});
