"use client";

import { useEffect, useState } from "react";
import { onStreamEvent, sendHeartbeat } from "@/lib/realtime/use-live-stream";

const HEARTBEAT_MS = 30_000;
const SHIFT_EVERY_MS = 120_000;
// A slow orbit a few pixels wide: static edges and text never burn into the panel.
const SHIFTS: [number, number][] = [[0, 0], [2, 1], [3, 3], [1, 4], [-1, 3], [-2, 1], [-1, -1], [1, -1]];

/** Keeps the display on with the Screen Wake Lock API, asking again whenever the page is shown. */
export function useWakeLock(): void {
  useEffect(() => {
    let lock: WakeLockSentinel | undefined;
    let cancelled = false;
    const request = async () => {
      if (cancelled || document.visibilityState !== "visible" || !("wakeLock" in navigator)) return;
      try {
        lock = await navigator.wakeLock.request("screen");
      } catch {
        // refused (battery saver, no user gesture on some browsers): the screen's own settings apply
      }
    };
    void request();
    document.addEventListener("visibilitychange", request);
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", request);
      void lock?.release().catch(() => {});
    };
  }, []);
}

/** The current burn-in offset, moving one step every two minutes. */
export function usePixelShift(): [number, number] {
  const [step, setStep] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setStep((current) => (current + 1) % SHIFTS.length), SHIFT_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  return SHIFTS[step]!;
}

/**
 * Reloads the screen onto a new build when the server says it runs one, or when an operator asks
 * from /displays; reports that the display token was revoked.
 */
export function useSelfUpdate(buildId: string): { revoked: boolean } {
  const [revoked, setRevoked] = useState(false);
  useEffect(
    () =>
      onStreamEvent((event) => {
        if (event.type === "hello" && event.info.buildId !== buildId && buildId !== "development") {
          // Spread the reloads of a whole wall of screens over a few seconds.
          setTimeout(() => window.location.reload(), Math.random() * 5_000);
        }
        if (event.type === "reload-requested") window.location.reload();
        if (event.type === "revoked" || (event.type === "connect-error" && event.message === "revoked")) setRevoked(true);
      }),
    [buildId],
  );
  return { revoked };
}

function displayId(): string {
  const key = "pulse-display-id";
  let id = localStorage.getItem(key);
  if (!id) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(key, id);
  }
  return id;
}

/**
 * Frames drawn per second over one second (a hung page shows 0 in the fleet view). Measured just
 * before each heartbeat rather than all the time: a requestAnimationFrame loop that never stops
 * makes the page render a frame at every vsync, which cost a wall's main thread ~13 ms a second
 * (bench/README.md, issue 14).
 */
function measureFrameRate(signal: { stopped: boolean }): Promise<number> {
  return new Promise((resolve) => {
    let frames = 0;
    const since = performance.now();
    // A hidden or hung page draws no frames: the timer still ends the measurement.
    const end = setTimeout(() => {
      cancelAnimationFrame(handle);
      resolve(Math.round(((frames * 1000) / Math.max(1, performance.now() - since)) * 10) / 10);
    }, 1_000);
    const loop = () => {
      frames++;
      if (signal.stopped) {
        clearTimeout(end);
        return;
      }
      handle = requestAnimationFrame(loop);
    };
    let handle = requestAnimationFrame(loop);
  });
}

/** Reports this screen to the fleet view every 30 s: what it shows, its heap, frame rate and build. */
export function useHeartbeat(report: { playlist: string | null; viewIndex: number | null; viewTitle: string | null; buildId: string }): void {
  const { playlist, viewIndex, viewTitle, buildId } = report;
  useEffect(() => {
    const signal = { stopped: false };
    const send = async () => {
      const fps = await measureFrameRate(signal);
      if (signal.stopped) return;
      const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      sendHeartbeat({ displayId: displayId(), playlist, viewIndex, viewTitle: viewTitle?.slice(0, 120) ?? null, buildId, jsHeapBytes: memory?.usedJSHeapSize ?? null, fps });
    };
    const first = setTimeout(send, 3_000);
    const timer = setInterval(send, HEARTBEAT_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
      signal.stopped = true;
    };
  }, [playlist, viewIndex, viewTitle, buildId]);
}
