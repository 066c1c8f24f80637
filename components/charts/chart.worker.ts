import type { ToHub } from "./chart-protocol";
import { ChartHub } from "./chart-hub";

/**
 * The page's chart worker: one per page, drawing every streaming chart on the OffscreenCanvases
 * the page hands over. The page's thread only posts data, view changes and pointer events.
 */
// Typed by hand: the webworker lib cannot sit beside the DOM lib in one TypeScript program.
interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<ToHub>) => void) | null;
  requestAnimationFrame?: (callback: () => void) => number;
}
const scope = self as unknown as WorkerScope;

/** After the worker's canvases have been shown: its next animation frame, then a task. */
const afterFrame = (callback: () => void) => {
  if (typeof scope.requestAnimationFrame === "function") scope.requestAnimationFrame(() => setTimeout(callback, 0));
  else setTimeout(callback, 16);
};

const hub = new ChartHub((message) => scope.postMessage(message), afterFrame);
scope.onmessage = (event) => hub.receive(event.data);
