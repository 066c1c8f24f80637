/**
 * The floors of bench:browser's "main thread per tick": the least a page can do with a tick on this
 * machine and browser. A bare document (no framework) that takes the live stream over a raw
 * WebSocket, speaking Engine.IO 4 / Socket.IO 5 by hand (docs/PROTOCOL.md: `stream:subscribe` to
 * every series), and writes four figures per tick in an animation frame, as the dashboard's tiles do.
 *
 * - `floorPageHtml(false)`: nothing else (no charts, no worker). Whatever main-thread time it
 *   takes per tick, the dashboard cannot take less; the difference is the dashboard's own.
 * - `floorPageHtml(true)`: the same page, plus the dashboard's own chart worker drawing the
 *   dashboard's own charts: the bench records what a real page posts to its worker (the charts'
 *   sizes and configurations, the history they draw) and this page replays it, then hands each
 *   tick's values over in the same animation frame as the dashboard's batcher does. Its figure
 *   is the least a page that shows these charts live, as issue 14 has them drawn, can take per tick
 *   on this machine: the worker's drawing shares the machine's cores with the page's thread.
 *
 * The bench loads one of the server's own responses first (so the socket's Origin is the server's
 * and Chromium counts the page as local) and replaces the document with this one, with the
 * page's CSP bypassed for the inline script (and the worker, which starts from a blob: URL).
 */
export function floorPageHtml(withCharts: boolean): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: sans-serif; background: #0b1220; color: #e2e8f0; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; padding: 24px; }
.tile { border: 1px solid #334155; border-radius: 6px; padding: 12px; font-size: 28px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; padding: 0 24px; }
.charts canvas { display: block; }
</style></head><body>
<div class="tiles"><div class="tile">–</div><div class="tile">–</div><div class="tile">–</div><div class="tile">–</div></div>
<div class="charts"></div>
<script>
const WITH_CHARTS = ${withCharts};
const format = new Intl.NumberFormat("en-US");
const figures = [...document.querySelectorAll(".tile")].map((tile) => tile.firstChild);
const waiting = [];
// With charts: the recorded set-up (window.__floor.start), the worker, and the ticks not yet handed over.
let charts = null;
window.__floor = {
  ticks: 0,
  waitForTicks(count, timeoutMs) {
    if (window.__floor.ticks >= count) return Promise.resolve(true);
    return new Promise((resolve) => { waiting.push({ count, resolve }); setTimeout(() => resolve(false), timeoutMs); });
  },
  /** setup: the messages a dashboard posted to its chart worker (canvases and typed arrays as plain data). */
  start(setup, workerSource) {
    const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" })), { name: "pulse-charts" });
    worker.onmessage = () => {}; // its "painted" reports reach this thread as the dashboard's do
    const holder = document.querySelector(".charts");
    for (const message of setup.messages) {
      if (message.type === "create") {
        const canvas = document.createElement("canvas");
        canvas.style.width = message.width + "px";
        canvas.style.height = message.height + "px";
        holder.append(canvas);
        const offscreen = canvas.transferControlToOffscreen();
        worker.postMessage({ ...message, canvas: offscreen }, [offscreen]);
      } else if (message.type === "history") {
        const buckets = Float64Array.from(message.history.buckets);
        const means = message.history.means.map((mean) => Float64Array.from(mean, (value) => value ?? NaN));
        worker.postMessage({ ...message, history: { resolutionSeconds: message.history.resolutionSeconds, buckets, means } }, [buckets.buffer, ...means.map((mean) => mean.buffer)]);
      } else {
        worker.postMessage(message);
      }
    }
    charts = { worker, stream: setup.stream, pending: [] };
    connect(setup.snapshotTicks);
  },
};
let latest = null;
let scheduled = false;
function connect(snapshotTicks) {
  const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
  socket.onmessage = ({ data }) => {
    if (data === "2") return socket.send("3"); // Engine.IO ping → pong
    if (data[0] === "0") return socket.send("40"); // open → connect to the main namespace
    if (data.startsWith("40")) return socket.send('420["stream:subscribe",{"filter":{"operators":[],"sectors":[]},"snapshotTicks":' + snapshotTicks + '}]');
    if (data.startsWith("430")) {
      // The subscription's answer: with charts, the window they start from, as the dashboard's first feed.
      const answer = JSON.parse(data.slice(3))[0];
      if (charts && answer.ok) charts.worker.postMessage({ type: "live-reset", stream: charts.stream, ticks: answer.data.ticks });
      return;
    }
    if (!data.startsWith('42["stream:tick"')) return;
    const tick = JSON.parse(data.slice(2))[1];
    latest = tick.v;
    if (charts) charts.pending.push(tick);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (charts) charts.worker.postMessage({ type: "live-append", stream: charts.stream, ticks: charts.pending.splice(0) });
      const values = latest;
      let total = 0;
      for (const value of values) total += value ?? 0;
      figures[0].nodeValue = format.format(total);
      for (let index = 1; index < 4; index++) figures[index].nodeValue = format.format(values[index - 1] ?? 0);
      window.__floor.ticks++;
      for (let index = waiting.length - 1; index >= 0; index--) {
        if (window.__floor.ticks < waiting[index].count) continue;
        waiting[index].resolve(true);
        waiting.splice(index, 1);
      }
    });
  };
}
if (!WITH_CHARTS) connect(0);
</script></body></html>`;
}
