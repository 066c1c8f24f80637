import type { Playlist } from "@/lib/contracts/playlists";
import { filterKey } from "@/lib/domain/series";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import type { StreamIo, StreamSocket } from "./stream-server";

const log = createLogger("access");

export interface SocketSessions {
  /** Closes the sockets of ended sessions (sign-out, password change, account removed); how many. */
  closeSessions(sessionKeys: readonly string[]): number;
  /** Closes the sockets of a deleted playlist's screens, telling them first; how many. */
  closePlaylist(playlistSlug: string): number;
  /**
   * After an edit: every display-token socket of the playlist whose subscription is no longer one
   * of its views is unsubscribed and told why; how many.
   */
  recheckPlaylist(playlist: Playlist): number;
}

/**
 * Finds open sockets by what the access gate stored in socket.data and ends those that a change
 * elsewhere (a session ended, a playlist deleted or edited) no longer allows, at once rather than
 * at their next reconnect.
 */
export function createSocketSessions(io: StreamIo, options: { scopeDisplays: boolean }): SocketSessions {
  const sockets = (): StreamSocket[] => [...io.sockets.sockets.values()];
  return {
    closeSessions(sessionKeys) {
      if (sessionKeys.length === 0) return 0;
      const keys = new Set(sessionKeys);
      const targets = sockets().filter((socket) => socket.data.sessionKey !== undefined && keys.has(socket.data.sessionKey));
      for (const socket of targets) socket.disconnect(true);
      if (targets.length) metrics.socketsCutOff.inc({ reason: "session_ended" }, targets.length);
      if (targets.length) log.info("closed the sockets of ended sessions", { sockets: targets.length });
      return targets.length;
    },
    closePlaylist(playlistSlug) {
      const targets = sockets().filter((socket) => socket.data.displayToken?.playlistSlug === playlistSlug);
      for (const socket of targets) {
        // Its tokens went with the playlist: for the screen this is a revocation.
        socket.emit("display:revoked");
        socket.disconnect(true);
      }
      if (targets.length) metrics.socketsCutOff.inc({ reason: "playlist_deleted" }, targets.length);
      if (targets.length) log.info("closed the sockets of a deleted playlist", { playlist: playlistSlug, sockets: targets.length });
      return targets.length;
    },
    recheckPlaylist(playlist) {
      // With PULSE_AUTH=off a display token does not narrow what its socket may watch.
      if (!options.scopeDisplays) return 0;
      const allowed = new Set(playlist.views.map((view) => `stream:${filterKey(view)}`));
      let ended = 0;
      for (const socket of sockets()) {
        if (socket.data.displayToken?.playlistSlug !== playlist.slug || !socket.data.room || allowed.has(socket.data.room)) continue;
        void socket.leave(socket.data.room);
        socket.data.room = undefined;
        socket.emit("client:error", { code: "forbidden", message: `this view is no longer part of playlist '${playlist.slug}'` });
        ended++;
      }
      if (ended) log.info("ended subscriptions an edited playlist no longer allows", { playlist: playlist.slug, sockets: ended });
      return ended;
    },
  };
}
