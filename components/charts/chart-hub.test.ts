import { describe, expect, it } from "vitest";
import type { Tick } from "@/lib/contracts/realtime";
import { ChartHub } from "./chart-hub";
import type { FromHub } from "./chart-protocol";

const tick = (s: number): Tick => ({ s, t: s * 1000, v: [s] });

/** A hub whose frames are shown only when the test says so. */
function hubWithFrames() {
  const posted: FromHub[] = [];
  let frame: (() => void)[] = [];
  const hub = new ChartHub(
    (message) => posted.push(message),
    (callback) => frame.push(callback),
  );
  const showFrame = () => {
    const callbacks = frame;
    frame = [];
    for (const callback of callbacks) callback();
  };
  return { hub, posted, showFrame, waiting: () => frame.length };
}

describe("ChartHub's painted reports", () => {
  it("reports the newest tick once per frame, however many ticks were drawn before it", () => {
    const { hub, posted, showFrame, waiting } = hubWithFrames();
    hub.receive({ type: "live-reset", stream: "all", ticks: [tick(1)] });
    for (let s = 2; s <= 50; s++) hub.receive({ type: "live-append", stream: "all", ticks: [tick(s)] });
    // Ticks faster than frames: one report waits, not fifty.
    expect(waiting()).toBe(1);
    showFrame();
    expect(posted.filter((message) => message.type === "painted")).toEqual([expect.objectContaining({ type: "painted", stream: "all", seq: 50 })]);

    hub.receive({ type: "live-append", stream: "all", ticks: [tick(51)] });
    showFrame();
    expect(posted.filter((message) => message.type === "painted").map((message) => (message as { seq: number }).seq)).toEqual([50, 51]);
  });

  it("keeps one report per stream", () => {
    const { hub, posted, showFrame, waiting } = hubWithFrames();
    hub.receive({ type: "live-reset", stream: "a", ticks: [tick(1)] });
    hub.receive({ type: "live-reset", stream: "b", ticks: [tick(7)] });
    hub.receive({ type: "live-append", stream: "a", ticks: [tick(2)] });
    expect(waiting()).toBe(2);
    showFrame();
    const painted = posted.filter((message) => message.type === "painted") as { stream: string; seq: number }[];
    expect(painted.map(({ stream, seq }) => [stream, seq])).toEqual([
      ["a", 2],
      ["b", 7],
    ]);
  });
});
