import { describeZodError } from "@/lib/contracts/api";
import { heartbeatSchema, type Heartbeat } from "@/lib/contracts/displays";
import type { Acknowledgement } from "@/lib/contracts/realtime";
import { createLogger } from "@/lib/logger";
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
        answer({ ok: false, error: { code: "bad_request", message: describeZodError(parsed.error) } });
        return;
      }
      socket.data.displayId = parsed.data.displayId;
      try {
        await record(parsed.data, { userAgent: socket.handshake.headers["user-agent"] ?? null, tokenId: socket.data.displayToken?.id ?? null });
        answer({ ok: true, data: { recorded: true } });
      } catch (error) {
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
      if (targets.length) log.info("closed the sockets of a revoked display token", { tokenId, sockets: targets.length });
      return targets.length;
    },
    connected: () => new Set(sockets().flatMap((socket) => (socket.data.displayId ? [socket.data.displayId] : []))),
  };
}
