"use client";

import { useEffect, useMemo, useReducer, useState } from "react";
import type { PlaylistView } from "@/lib/contracts/playlists";
import { msUntilNext, rotate, type RotationState } from "@/lib/domain/rotation";

const storageKey = (playlist: string) => `pulse-rotation:${playlist}`;

/**
 * Runs a playlist's rotation: one timer per view, set to its dwell. The position survives a
 * reload (a new build, a remote reload) in sessionStorage, so the screen carries on where it was.
 * Space pauses; the arrow keys step. Returns the position and the last key action, if any.
 */
export function useRotation(playlistSlug: string | null, views: readonly PlaylistView[]) {
  const dwells = useMemo(() => views.map((view) => view.dwellSeconds * 1000), [views]);
  const [state, dispatch] = useReducer(
    (current: RotationState, action: Parameters<typeof rotate>[1]) => rotate(current, action, dwells),
    undefined,
    (): RotationState => ({ index: 0, paused: false, shownAtMs: 0 }),
  );
  const [lastKey, setLastKey] = useState<{ at: number; action: "pause" | "play" | "step" } | null>(null);

  // Restore the saved position once on the client, then start the first dwell now.
  useEffect(() => {
    const saved = playlistSlug ? Number(sessionStorage.getItem(storageKey(playlistSlug))) : 0;
    for (let step = 0; step < (Number.isInteger(saved) ? saved : 0) % Math.max(1, views.length); step++) dispatch({ type: "step", by: 1, nowMs: Date.now() });
    dispatch({ type: "reset", count: views.length, nowMs: Date.now() });
    // Only on mount: later changes of the playlist are handled by "reset" below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    dispatch({ type: "reset", count: views.length, nowMs: Date.now() });
  }, [views.length]);

  useEffect(() => {
    if (playlistSlug) sessionStorage.setItem(storageKey(playlistSlug), String(state.index));
  }, [playlistSlug, state.index]);

  useEffect(() => {
    const wait = msUntilNext(state, dwells, Date.now());
    if (!Number.isFinite(wait)) return;
    // The next view starts at the due time, not when the timer happened to fire: a timer that
    // fires a millisecond early still advances, and late ones do not add up round after round.
    const due = Date.now() + wait;
    const timer = setTimeout(() => dispatch({ type: "advance", nowMs: Math.max(Date.now(), due) }), wait);
    return () => clearTimeout(timer);
  }, [state, dwells]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const now = Date.now();
      if (event.key === " ") {
        event.preventDefault();
        dispatch({ type: "toggle-pause", nowMs: now });
        setLastKey({ at: now, action: state.paused ? "play" : "pause" });
      } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        dispatch({ type: "step", by: event.key === "ArrowRight" ? 1 : -1, nowMs: now });
        setLastKey({ at: now, action: "step" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [state.paused]);

  return { index: Math.min(state.index, Math.max(0, views.length - 1)), paused: state.paused, lastKey };
}
