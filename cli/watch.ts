/**
 * npm run watch -- [--url http://localhost:3000] [--operator china-mobile,…] [--sector energy,…] [--json]
 *
 * Prints the live stream of a running M2M Pulse server: one line per tick, alerts as they
 * happen, and what happens to the connection. It speaks only the public socket.io protocol
 * (lib/contracts/realtime.ts), through the same client the dashboard uses.
 */
import { parseArgs } from "node:util";
import { OPERATORS, OPERATOR_SLUGS, SECTORS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { parseSlugList } from "@/lib/contracts/filters";
import { provenanceAt, type StreamSubscribed, type Tick } from "@/lib/contracts/realtime";
import { SERIES_PROVENANCES, type SeriesProvenance } from "@/lib/contracts/ingest";
import { DISPLAY_TIME_ZONE } from "@/lib/domain/format";
import { StreamClient } from "@/lib/realtime/stream-client";

const DEFAULT_URL = "http://localhost:3000";
const usage = "usage: npm run watch -- [--url URL] [--operator SLUGS] [--sector SLUGS] [--json]";
const help = `${usage}

Prints the live stream of a running M2M Pulse server: one line per tick, alerts as they happen,
and what happens to the connection (on stderr). Times are China Standard Time (CST, UTC+8), as on
the dashboard; --json gives ISO 8601 times in UTC.

options:
  --url URL           the server to watch (default ${DEFAULT_URL})
  --operator SLUGS    only these operators, comma-separated or repeated (default: all)
  --sector SLUGS      only these sectors, comma-separated or repeated (default: all)
  --json              one JSON object per tick instead of a table line
  -h, --help          this text

operators: ${OPERATOR_SLUGS.join(", ")}
sectors:   ${SECTOR_SLUGS.join(", ")}

example: npm run watch -- --url http://127.0.0.1:3000 --operator china-mobile --sector energy,transport
`;

function fail(message: string): never {
  process.stderr.write(`watch: ${message}\n${usage}\n`);
  process.exit(2);
}

function readArguments() {
  try {
    return parseArgs({
      options: {
        url: { type: "string", default: DEFAULT_URL },
        operator: { type: "string", multiple: true },
        sector: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

const args = readArguments();
if (args.help) {
  process.stdout.write(help);
  process.exit(0);
}

const operators = parseSlugList(args.operator?.join(","), OPERATOR_SLUGS);
const sectors = parseSlugList(args.sector?.join(","), SECTOR_SLUGS);
if (operators.unknown.length) fail(`unknown operator ${operators.unknown.map((slug) => `'${slug}'`).join(", ")}; expected one of ${OPERATOR_SLUGS.join(", ")}`);
if (sectors.unknown.length) fail(`unknown sector ${sectors.unknown.map((slug) => `'${slug}'`).join(", ")}; expected one of ${SECTOR_SLUGS.join(", ")}`);

const count = new Intl.NumberFormat("en");
// China time, like the dashboard: the networks are there, and every screen then agrees.
const chinaTime = new Intl.DateTimeFormat("sv-SE", { timeZone: DISPLAY_TIME_ZONE, dateStyle: "short", timeStyle: "medium" });
const time = (instantMs: number) => `${chinaTime.format(instantMs)} CST`;
const note = (message: string) => process.stderr.write(`${time(Date.now())}  ${message}\n`);

/** Labels for the columns of a tick: sectors when one operator is shown, operators when one sector is. */
function describeColumns(subscription: StreamSubscribed): { labels: string[]; groups: number[][] } {
  const { series } = subscription;
  if (new Set(series.map((entry) => entry.operator)).size === 1) {
    return { labels: series.map((entry) => SECTORS[entry.sector].name), groups: series.map((_, index) => [index]) };
  }
  if (new Set(series.map((entry) => entry.sector)).size === 1) {
    return { labels: series.map((entry) => OPERATORS[entry.operator].name), groups: series.map((_, index) => [index]) };
  }
  const shown = OPERATOR_SLUGS.filter((slug) => series.some((entry) => entry.operator === slug));
  return {
    labels: shown.map((slug) => OPERATORS[slug].name),
    groups: shown.map((slug) => series.flatMap((entry, index) => (entry.operator === slug ? [index] : []))),
  };
}

/** "21 simulated" or "3 measured · 1 stale · 17 simulated": how many of the series come from where. */
function describeProvenance(tick: Tick, series: number): string {
  const counts = new Map<SeriesProvenance, number>();
  for (let index = 0; index < series; index++) {
    const provenance = provenanceAt(tick.p, index);
    counts.set(provenance, (counts.get(provenance) ?? 0) + 1);
  }
  const words: Record<SeriesProvenance, string> = { measured: "measured", stale: "stale", simulated: "simulated", none: "no data" };
  return SERIES_PROVENANCES.filter((provenance) => counts.has(provenance))
    .map((provenance) => `${counts.get(provenance)} ${words[provenance]}`)
    .join(" · ");
}

// Printed in full when it changes (the stream client hands every tick its provenance).
let lastProvenance: string | undefined;
// A tick with the sequence number just printed is a revision of it (a sample accepted since).
let lastPrintedSeq: number | undefined;

function printTick(tick: Tick, subscription: StreamSubscribed): void {
  const revision = tick.s === lastPrintedSeq;
  lastPrintedSeq = tick.s;
  if (args.json) {
    const key = (index: number) => `${subscription.series[index]!.operator}:${subscription.series[index]!.sector}`;
    const values = Object.fromEntries(subscription.series.map((_, index) => [key(index), tick.v[index]]));
    const provenance = Object.fromEntries(subscription.series.map((_, index) => [key(index), provenanceAt(tick.p, index)]));
    process.stdout.write(`${JSON.stringify({ seq: tick.s, ...(revision ? { revision: true } : {}), at: new Date(tick.t).toISOString(), provenance, values })}\n`);
    return;
  }
  if (tick.p !== lastProvenance) {
    lastProvenance = tick.p;
    const marked = subscription.series
      .map((entry, index) => ({ entry, provenance: provenanceAt(tick.p, index) }))
      .filter(({ provenance }) => provenance !== "simulated")
      .map(({ entry, provenance }) => `${entry.operator}/${entry.sector} ${provenance}`);
    note(`sources: ${describeProvenance(tick, subscription.series.length)}${marked.length ? ` (${marked.join(", ")})` : ""}`);
  }
  const { labels, groups } = describeColumns(subscription);
  const total = tick.v.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const columns = groups.map((group, index) => `${labels[index]} ${count.format(group.reduce<number>((sum, at) => sum + (tick.v[at] ?? 0), 0))}`);
  process.stdout.write(`${time(tick.t)}  #${tick.s}${revision ? " revised" : ""}  total ${count.format(total)}  │ ${columns.join("  ")}\n`);
}

const filter = { operators: operators.slugs, sectors: sectors.slugs };
note(
  `connecting to ${args.url} (${filter.operators.join(",") || "all operators"} × ${filter.sectors.join(",") || "all sectors"}); ` +
    `times are China Standard Time (CST, UTC+8); Ctrl-C to stop`,
);

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "nothing listens there: is the server running, on that port?",
  ENOTFOUND: "no such host",
  EHOSTUNREACH: "no route to that host",
  ECONNRESET: "the connection was dropped",
};

/**
 * Why the server cannot be reached, in words a person can act on. socket.io says only
 * "websocket error", so ask the address directly: refused, unknown host, timeout, or reachable
 * but refusing the socket (then the server's own reason, e.g. "unauthorized").
 */
async function diagnose(socketMessage: string): Promise<string> {
  try {
    await fetch(new URL("/api/health", args.url), { signal: AbortSignal.timeout(5_000) });
    return `the server answers but refuses the live stream: ${socketMessage}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `cannot reach ${args.url}: ${cause.code}${NETWORK_ERRORS[cause.code] ? ` (${NETWORK_ERRORS[cause.code]})` : ""}`;
    if (error instanceof Error && error.name === "TimeoutError") return `cannot reach ${args.url}: no answer within 5 s`;
    return `cannot reach ${args.url}: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`;
  }
}

// socket.io retries by itself (0.5 s, doubling to 5 s apart). Say what is wrong at once, again
// when the reason changes, and every 30 s while it lasts, rather than on every attempt.
const failures = { attempts: 0, lastReason: "", lastNoteAt: 0, checking: false };
async function onConnectError(socketMessage: string): Promise<void> {
  failures.attempts++;
  if (failures.checking) return;
  failures.checking = true;
  const reason = await diagnose(socketMessage);
  failures.checking = false;
  if (reason === failures.lastReason && Date.now() - failures.lastNoteAt < 30_000) return;
  const again = reason === failures.lastReason;
  failures.lastReason = reason;
  failures.lastNoteAt = Date.now();
  note(`${again ? "still: " : ""}${reason}; retrying every few seconds${again ? ` (${failures.attempts} attempts so far)` : ""}`);
}

const client = new StreamClient({
  url: args.url,
  filter,
  snapshotTicks: 1,
  socketOptions: { transports: ["websocket"] },
  handlers: {
    onHello: (info) => note(`server ${info.version} (build ${info.buildId}), a tick every ${info.tickMs} ms; simulator ${info.simulator}`),
    onSnapshot: (subscription) => subscription.ticks.forEach((tick) => printTick(tick, subscription)),
    onTicks: (ticks, subscription) => ticks.forEach((tick) => printTick(tick, subscription)),
    onStatus: (status) => {
      if (status === "live") failures.lastReason = "";
      note(status === "live" ? "live" : `${status}…`);
    },
    onConnectError: (message) => void onConnectError(message),
    onAlert: (change, alert) =>
      note(`ALERT ${change} [${alert.severity}] ${alert.message}${alert.resolvedAt ? ` — resolved ${alert.resolvedAt}` : ""}`),
    onError: (message) => note(`server refused: ${message}`),
  },
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    client.close();
    process.exit(0);
  });
}
