/**
 * Child process of bench/stream.ts: connects many socket.io clients to the server under test,
 * spread over a few filters as a control room would be, and keeps them subscribed. Runs apart
 * from the server so that the server's CPU figures do not include the clients' work.
 */
import { io } from "socket.io-client";
import type { SeriesFilter } from "@/lib/contracts/filters";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const FILTERS: SeriesFilter[] = [
  { operators: [], sectors: [] },
  { operators: ["china-mobile"], sectors: [] },
  { operators: ["china-unicom"], sectors: [] },
  { operators: ["china-telecom"], sectors: [] },
  { operators: [], sectors: ["energy"] },
  { operators: [], sectors: ["transport"] },
  { operators: ["china-mobile"], sectors: ["energy", "transport"] },
  { operators: [], sectors: ["smart-city", "retail"] },
];

let subscribed = 0;
let ticks = 0;
for (let index = 0; index < count; index++) {
  // Half watch everything (the overview on most screens); the rest a filtered view.
  const filter = index % 2 === 0 ? FILTERS[0]! : FILTERS[1 + (index % (FILTERS.length - 1))]!;
  const socket = io(url!, { transports: ["websocket"], forceNew: true });
  socket.on("connect", () =>
    socket.emit("stream:subscribe", { filter, snapshotTicks: 0 }, () => {
      if (++subscribed === count) process.stdout.write("ready\n");
    }),
  );
  socket.on("stream:tick", () => ticks++);
}
process.on("message", () => process.send?.({ ticks }));
