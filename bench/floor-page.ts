/**
 * The floor of bench:browser's "main thread per tick": the least a page can do with a tick on this
 * machine and browser. A bare document (no framework, no charts, no worker) that takes the live
 * stream over a raw WebSocket, speaking Engine.IO 4 / Socket.IO 5 by hand (docs/PROTOCOL.md:
 * `stream:subscribe` to every series), and writes four figures per tick in an animation frame,
 * as the dashboard's tiles do. Whatever main-thread time it takes per tick, the dashboard cannot
 * take less; the difference is the dashboard's own.
 *
 * The bench loads one of the server's own responses first (so the socket's Origin is the server's
 * and Chromium counts the page as local) and replaces the document with this one, with the
 * page's CSP bypassed for the inline script.
 */
export const FLOOR_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: sans-serif; background: #0b1220; color: #e2e8f0; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; padding: 24px; }
.tile { border: 1px solid #334155; border-radius: 6px; padding: 12px; font-size: 28px; font-weight: 600; font-variant-numeric: tabular-nums; }
</style></head><body>
<div class="tiles"><div class="tile">–</div><div class="tile">–</div><div class="tile">–</div><div class="tile">–</div></div>
<script>
const format = new Intl.NumberFormat("en-US");
const figures = [...document.querySelectorAll(".tile")].map((tile) => tile.firstChild);
const waiting = [];
window.__floor = {
  ticks: 0,
  waitForTicks(count, timeoutMs) {
    if (window.__floor.ticks >= count) return Promise.resolve(true);
    return new Promise((resolve) => { waiting.push({ count, resolve }); setTimeout(() => resolve(false), timeoutMs); });
  },
};
let latest = null;
let scheduled = false;
const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
socket.onmessage = ({ data }) => {
  if (data === "2") return socket.send("3"); // Engine.IO ping → pong
  if (data[0] === "0") return socket.send("40"); // open → connect to the main namespace
  if (data.startsWith("40")) return socket.send('420["stream:subscribe",{"filter":{"operators":[],"sectors":[]},"snapshotTicks":0}]');
  if (!data.startsWith('42["stream:tick"')) return;
  latest = JSON.parse(data.slice(2))[1].v;
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
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
</script></body></html>`;
