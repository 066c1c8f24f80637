import { describe, expect, it } from "vitest";
import { LiveUpdates } from "./live-updates";

/** A source, a clock and a timer queue driven by hand. */
function harness(minIntervalMs: number, isUrgent?: (shown: string | undefined, next: string) => boolean) {
  let value: string | undefined;
  let notify = () => {};
  let now = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let nextTimer = 1;
  const updates = new LiveUpdates<string>({
    read: () => value,
    subscribe: (onChange) => {
      notify = onChange;
      return () => (notify = () => {});
    },
    minIntervalMs,
    isUrgent,
    now: () => now,
    setTimer: (callback, ms) => {
      timers.set(nextTimer, { at: now + ms, callback });
      return nextTimer++;
    },
    clearTimer: (timer) => timers.delete(timer as number),
  });
  return {
    updates,
    set(next: string) {
      value = next;
      notify();
    },
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.callback();
      }
    },
    pendingTimers: () => timers.size,
  };
}

describe("LiveUpdates", () => {
  it("hands every new value to writers at once when there is no interval", () => {
    const source = harness(0);
    const written: string[] = [];
    source.updates.subscribe((value) => written.push(value));
    source.set("a");
    source.set("b");
    source.set("b"); // the same value again: nothing to write
    expect(written).toEqual(["a", "b"]);
    expect(source.updates.current()).toBe("b");
  });

  it("writes at most once per interval, always the newest value, and never drops the last one", () => {
    const source = harness(900);
    const written: string[] = [];
    const watched: string[] = [];
    source.updates.subscribe((value) => written.push(value));
    source.updates.watch((value) => watched.push(value));
    source.set("t1");
    for (const tick of ["t2", "t3", "t4"]) {
      source.advance(100);
      source.set(tick);
    }
    expect(written).toEqual(["t1"]);
    expect(source.updates.current()).toBe("t1"); // what is on screen
    expect(watched).toEqual(["t1", "t2", "t3", "t4"]); // the charts see every value
    source.advance(600); // 900 ms after the first write
    expect(written).toEqual(["t1", "t4"]);
    expect(source.pendingTimers()).toBe(0);
    source.advance(2000);
    source.set("t5"); // after a quiet spell: at once
    expect(written).toEqual(["t1", "t4", "t5"]);
  });

  it("shows an urgent value at once, even with a write already due", () => {
    const source = harness(900, (_, next) => next.startsWith("new"));
    const written: string[] = [];
    source.updates.subscribe((value) => written.push(value));
    source.set("t1");
    source.advance(100);
    source.set("t2");
    source.set("new-window");
    expect(written).toEqual(["t1", "new-window"]);
    source.advance(1000);
    expect(written).toEqual(["t1", "new-window"]);
  });

  it("lets go of the source and its timer when the last writer leaves", () => {
    const source = harness(900);
    const written: string[] = [];
    const stop = source.updates.subscribe((value) => written.push(value));
    source.set("t1");
    source.set("t2");
    expect(source.pendingTimers()).toBe(1);
    stop();
    expect(source.pendingTimers()).toBe(0);
    source.set("t3");
    source.advance(1000);
    expect(written).toEqual(["t1"]);
    expect(source.updates.current()).toBe("t3"); // read straight from the source when nobody writes
  });
});
