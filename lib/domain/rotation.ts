/**
 * A wall screen's rotation through a playlist: each view stays for its dwell time, then the
 * next; after the last comes the first, for as long as the screen runs. Space pauses, arrows
 * step (the stepped-to view then gets its full dwell).
 */
export interface RotationState {
  index: number;
  paused: boolean;
  /** When the current view appeared (browser clock, ms). */
  shownAtMs: number;
}

export type RotationAction =
  | { type: "advance"; nowMs: number }
  | { type: "step"; by: 1 | -1; nowMs: number }
  | { type: "toggle-pause"; nowMs: number }
  | { type: "reset"; count: number; nowMs: number };

export function rotate(state: RotationState, action: RotationAction, dwellsMs: readonly number[]): RotationState {
  const count = dwellsMs.length;
  if (count === 0) return state;
  switch (action.type) {
    case "advance":
      if (state.paused || action.nowMs - state.shownAtMs < dwellsMs[state.index % count]!) return state;
      return { ...state, index: (state.index + 1) % count, shownAtMs: action.nowMs };
    case "step":
      return { ...state, index: (state.index + action.by + count) % count, shownAtMs: action.nowMs };
    case "toggle-pause":
      // Resuming gives the view a fresh dwell rather than jumping away at once.
      return { ...state, paused: !state.paused, shownAtMs: action.nowMs };
    case "reset":
      return { index: state.index < action.count ? state.index : 0, paused: state.paused, shownAtMs: action.nowMs };
  }
}

/** Milliseconds until the current view is due to change (Infinity while paused). */
export function msUntilNext(state: RotationState, dwellsMs: readonly number[], nowMs: number): number {
  if (state.paused || dwellsMs.length === 0) return Infinity;
  return Math.max(0, state.shownAtMs + dwellsMs[state.index % dwellsMs.length]! - nowMs);
}
