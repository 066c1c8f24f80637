import { describeZodError } from "@/lib/contracts/api";
import { roleAllows } from "@/lib/auth/access";
import { heartbeatSchema, type Heartbeat } from "@/lib/contracts/displays";
import type { Acknowledgement } from "@/lib/contracts/realtime";
import { DisplayClaimedError } from "@/lib/db/displays";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import type { StreamIo, StreamSocket } from "./stream-server";

const log = createLogger("displays");

export interface DisplayFleet {
  /** Asks every open socket of screen `displayId` to reload; how many were asked. */
  reload(displayId: string): number;
  /** Closes every socket opened with display token `tokenId`, telling the screen first; how many. */
  revokeToken(tokenId: number): number;
  /** Screens with a socket open now. */
  connected(): Set<string>;
}

/**
 * Registering a screen in the fleet is a change: it needs a display token (and then it registers
 * only under the token's playlist) or a signed-in operator. An anonymous or viewer socket may watch, not register.
 */
export function heartbeatRefusal(heartbeat: Heartbeat, data: Pick<StreamSocket["data"], "displayToken" | "sessionKey" | "role">): string | null {
  const token = data.displayToken;
  if (token) {
    return heartbeat.playlist === token.playlistSlug ? null : `this display token registers screens of playlist '${token.playlistSlug}' only`;
  }
  if (!data.sessionKey) return "open the wall with a display token (or sign in) to register a screen";
  return data.role && roleAllows(data.role, "operator") ? null : "a viewer account cannot register screens; an operator can";
}

/**
 * The wall screens' side of the socket: heartbeats in (validated, stored), remote reloads and
 * token revocations out.
 */
export function attachDisplayFleet(
  io: StreamIo,
  record: (heartbeat: Heartbeat, context: { userAgent: string | null; tokenId: number | null }) => Promise<void>,
): DisplayFleet {
  io.on("connection", (socket: StreamSocket) => {
    socket.on("display:heartbeat", async (heartbeat: unknown, ack: unknown) => {
      const answer = typeof ack === "function" ? (ack as (response: Acknowledgement<{ recorded: true }>) => void) : () => {};
      const parsed = heartbeatSchema.safeParse(heartbeat);
      if (!parsed.success) {
        metrics.clientMessagesRefused.inc({ reason: "bad_request" });
        answer({ ok: false, error: { code: "bad_request", message: describeZodError(parsed.error) } });
        return;
      }
      const refusal = heartbeatRefusal(parsed.data, socket.data);
      if (refusal) {
        metrics.clientMessagesRefused.inc({ reason: "forbidden" });
        answer({ ok: false, error: { code: "forbidden", message: refusal } });
        return;
      }
      socket.data.displayId = parsed.data.displayId;
      try {
        await record(parsed.data, { userAgent: socket.handshake.headers["user-agent"] ?? null, tokenId: socket.data.displayToken?.id ?? null });
        answer({ ok: true, data: { recorded: true } });
      } catch (error) {
        if (error instanceof DisplayClaimedError) {
          socket.data.displayId = undefined;
          metrics.clientMessagesRefused.inc({ reason: "forbidden" });
          answer({ ok: false, error: { code: "forbidden", message: error.message } });
          return;
        }
        metrics.clientMessagesRefused.inc({ reason: "unavailable" });
        log.warn("heartbeat not recorded", { display: parsed.data.displayId, error: error instanceof Error ? error.message : String(error) });
        answer({ ok: false, error: { code: "unavailable", message: "the heartbeat could not be stored; it will be sent again" } });
      }
    });
  });

  const sockets = () => [...io.sockets.sockets.values()];
  return {
    reload(displayId) {
      const targets = sockets().filter((socket) => socket.data.displayId === displayId);
      for (const socket of targets) socket.emit("display:reload");
      return targets.length;
    },
    revokeToken(tokenId) {
      const targets = sockets().filter((socket) => socket.data.displayToken?.id === tokenId);
      for (const socket of targets) {
        socket.emit("display:revoked");
        socket.disconnect(true);
      }
      if (targets.length) metrics.socketsCutOff.inc({ reason: "token_revoked" }, targets.length);
      if (targets.length) log.info("closed the sockets of a revoked display token", { tokenId, sockets: targets.length });
      return targets.length;
    },
    connected: () => new Set(sockets().flatMap((socket) => (socket.data.displayId ? [socket.data.displayId] : []))),
  };
}
