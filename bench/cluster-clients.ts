/**
 * Child process of bench/cluster.ts: opens many WebSocket clients subscribed to all 21 series and
 * measures each tick's delivery (arrival − the tick's due instant, same clock). The socket.io
 * protocol is spoken by hand over bare `ws` sockets (engine.io v4 / socket.io v5 text frames, as
 * test/support/raw-socket.ts does): a full socket.io-client per connection would make the load
 * generator, which shares the two cores with the server, the bottleneck.
 *
 * argv: url count firstLocalAddress. Messages from the parent: { stopConnecting: true } (a server that
 * can take no more: report ready with those connected), { measure: [fromSeq, toSeq] }, { report: true }.
 */
import WebSocket from "ws";

const [url, countText, localBase] = process.argv.slice(2);
const count = Number(countText);
// Spread over a few loopback source addresses: 19,000 connections from one would crowd its ephemeral ports.
const localAddresses = Array.from({ length: 8 }, (_, index) => `127.0.${Number(localBase)}.${index + 2}`);
const CONCURRENT_HANDSHAKES = 100;
// A handshake the server has not answered by then counts as refused (an overloaded server stops accepting).
const HANDSHAKE_TIMEOUT_MS = 20_000;
const HISTOGRAM_MS = 60_000;

const histogram = new Uint32Array(HISTOGRAM_MS + 1);
let window: [number, number] | undefined;
let subscribed = 0;
let disconnects = 0;
let refused = 0;
let stopConnecting = false;
const received = new Uint32Array(count); // ticks inside the window, per client
const repeated = new Uint32Array(count);
const lastSeq = new Float64Array(count).fill(-1);
const isSubscribed = new Uint8Array(count);
const SUBSCRIBE = `420${JSON.stringify(["stream:subscribe", { filter: { operators: [], sectors: [] }, snapshotTicks: 0 }])}`;

function open(index: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url!.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { localAddress: localAddresses[index % localAddresses.length], perMessageDeflate: false });
    let settled = false;
    const settle = () => {
      clearTimeout(timer);
      if (!settled) resolve();
      settled = true;
    };
    const timer = setTimeout(() => {
      refused++;
      settle();
      ws.terminate();
    }, HANDSHAKE_TIMEOUT_MS);
    ws.on("error", () => {
      refused++;
      settle();
    });
    ws.on("close", () => {
      if (settled) disconnects++;
      settle();
    });
    ws.on("message", (data) => {
      const frame = String(data);
      if (frame.startsWith('42["stream:tick"')) {
        const arrivedAt = Date.now();
        const tick = (JSON.parse(frame.slice(2)) as [string, { s: number; t: number }])[1];
        if (tick.s <= lastSeq[index]!) repeated[index]!++;
        lastSeq[index] = tick.s;
        if (window && tick.s >= window[0] && tick.s <= window[1]) {
          received[index]!++;
          histogram[Math.min(HISTOGRAM_MS, Math.max(0, arrivedAt - tick.t))]!++;
        }
      } else if (frame === "2") ws.send("3");
      else if (frame.startsWith("0{")) ws.send("40");
      else if (frame.startsWith("40")) ws.send(SUBSCRIBE);
      else if (frame.startsWith("430")) {
        subscribed++;
        isSubscribed[index] = 1;
        settle();
      } else if (frame.startsWith("44")) {
        refused++;
        settle();
      }
    });
  });
}

async function main() {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT_HANDSHAKES }, async () => {
      while (next < count && !stopConnecting) await open(next++);
    }),
  );
  process.send!({ ready: { subscribed, refused } });
}

process.on("message", (message: { stopConnecting?: boolean; measure?: [number, number]; report?: boolean }) => {
  if (message.stopConnecting) stopConnecting = true;
  if (message.measure) window = message.measure;
  if (message.report) {
    let ticks = 0;
    let missing = 0;
    let repeats = 0;
    const expected = window ? window[1] - window[0] + 1 : 0;
    for (let index = 0; index < count; index++) {
      ticks += received[index]!;
      // Lost: a tick of the window that a subscribed client did not get (one never let in is `refused`).
      if (isSubscribed[index]) missing += Math.max(0, expected - received[index]!);
      repeats += repeated[index]!;
    }
    process.send!({ report: { histogram: Array.from(histogram), ticks, missing, repeats, subscribed, refused, disconnects } });
  }
});

void main();
