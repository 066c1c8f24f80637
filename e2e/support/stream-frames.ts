import type { Page } from "@playwright/test";
import type { Tick } from "@/lib/contracts/realtime";

export interface StreamFrames {
  /** Every live tick received, in arrival order. */
  ticks: Tick[];
  /** Ticks carried by subscription answers (snapshots and resumptions). */
  answered: { mode: string; ticks: Tick[]; series: number }[];
  /** All sequence numbers seen, ticks and answers alike. */
  seqs(): number[];
}

/**
 * Reads the socket.io frames the page receives over its WebSocket: what the browser really got,
 * not what the page chose to draw.
 */
export function captureStreamFrames(page: Page): StreamFrames {
  const frames: StreamFrames = {
    ticks: [],
    answered: [],
    seqs: () => [...frames.answered.flatMap((answer) => answer.ticks), ...frames.ticks].map((tick) => tick.s),
  };
  page.on("websocket", (socket) => {
    socket.on("framereceived", ({ payload }) => {
      const text = typeof payload === "string" ? payload : payload.toString();
      if (text.startsWith('42["stream:tick",')) {
        frames.ticks.push((JSON.parse(text.slice(2)) as [string, Tick])[1]);
        return;
      }
      const ack = /^43\d*(\[.*)$/s.exec(text);
      if (!ack) return;
      const [answer] = JSON.parse(ack[1]!) as [{ ok: boolean; data?: { mode: string; ticks: Tick[]; series: unknown[] } }];
      if (answer.ok && answer.data?.ticks) frames.answered.push({ mode: answer.data.mode, ticks: answer.data.ticks, series: answer.data.series.length });
    });
  });
  return frames;
}
