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
import type { StreamSubscribed, Tick } from "@/lib/contracts/realtime";
import { StreamClient } from "@/lib/realtime/stream-client";

const usage = "usage: npm run watch -- [--url URL] [--operator SLUGS] [--sector SLUGS] [--json]";

function fail(message: string): never {
  process.stderr.write(`watch: ${message}\n${usage}\n`);
  process.exit(2);
}

function readArguments() {
  try {
    return parseArgs({
      options: {
        url: { type: "string", default: "http://localhost:3000" },
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
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const operators = parseSlugList(args.operator?.join(","), OPERATOR_SLUGS);
const sectors = parseSlugList(args.sector?.join(","), SECTOR_SLUGS);
if (operators.unknown.length) fail(`unknown operator ${operators.unknown.map((slug) => `'${slug}'`).join(", ")}; expected one of ${OPERATOR_SLUGS.join(", ")}`);
if (sectors.unknown.length) fail(`unknown sector ${sectors.unknown.map((slug) => `'${slug}'`).join(", ")}; expected one of ${SECTOR_SLUGS.join(", ")}`);

const count = new Intl.NumberFormat("en");
const time = (instantMs: number) => new Date(instantMs).toISOString().replace("T", " ").slice(0, 19);
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

function printTick(tick: Tick, subscription: StreamSubscribed): void {
  if (args.json) {
    const values = Object.fromEntries(subscription.series.map((entry, index) => [`${entry.operator}:${entry.sector}`, tick.v[index]]));
    process.stdout.write(`${JSON.stringify({ seq: tick.s, at: new Date(tick.t).toISOString(), provenance: subscription.provenance, values })}\n`);
    return;
  }
  const { labels, groups } = describeColumns(subscription);
  const total = tick.v.reduce((sum, value) => sum + value, 0);
  const columns = groups.map((group, index) => `${labels[index]} ${count.format(group.reduce((sum, at) => sum + tick.v[at]!, 0))}`);
  process.stdout.write(`${time(tick.t)}  #${tick.s}  total ${count.format(total)}  │ ${columns.join("  ")}\n`);
}

const filter = { operators: operators.slugs, sectors: sectors.slugs };
note(`connecting to ${args.url} (${filter.operators.join(",") || "all operators"} × ${filter.sectors.join(",") || "all sectors"}); Ctrl-C to stop`);

const client = new StreamClient({
  url: args.url,
  filter,
  snapshotTicks: 1,
  socketOptions: { transports: ["websocket"] },
  handlers: {
    onHello: (info) => note(`server ${info.version} (build ${info.buildId}), a tick every ${info.tickMs} ms; values are ${info.provenance}`),
    onSnapshot: (subscription) => subscription.ticks.forEach((tick) => printTick(tick, subscription)),
    onTicks: (ticks, subscription) => ticks.forEach((tick) => printTick(tick, subscription)),
    onStatus: (status) => note(status === "live" ? "live" : `${status}…`),
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
