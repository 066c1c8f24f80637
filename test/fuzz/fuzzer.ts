import { Readable } from "node:stream";
import fc from "fast-check";
import { io as connect, type Socket } from "socket.io-client";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { CLIENT_EVENTS } from "@/lib/contracts/realtime";
import { API_ROUTES, matchApiRoute, type ApiRoute } from "@/lib/http/routes";
import { rawRequest } from "@/e2e/support/raw-http";

/**
 * The fuzzer behind `npm run fuzz` and e2e/fuzz.spec.ts: random requests to every HTTP route and
 * random payloads to every socket event of a running server, generated with fast-check. Every
 * answer below 500 is fine (401/403 included: refusing is an answer); a 5xx other than an expected
 * 503 is a failure, and so is a server that stops answering /api/health.
 */

export interface FuzzCase {
  kind: "http";
  method: string;
  path: string;
  headers: Record<string, string>;
  body: FuzzBody;
}

export type FuzzBody =
  | { kind: "none" }
  | { kind: "text"; text: string }
  /** Sent chunked, made as it is sent: `bytes` of filler after `prefix`. */
  | { kind: "chunked"; prefix: string; bytes: number };

export interface SocketCase {
  kind: "socket";
  event: string;
  payload: unknown;
  withAck: boolean;
}

const PAGES = ["/", "/wall", "/wall/overview", "/wall/fuzz-wall", "/playlists", "/displays", "/signin", "/favicon.ico", "/robots.txt", "/_next/static/chunks/none.js", "/_next/image", "/api", "/api/", "/api/nothing", "/api/playlists/a/b/c"];
const SLUGS = ["overview", "fuzz-wall", "lobby", "x", "no-such-wall", "-bad-", "UPPER", "a".repeat(49), "..", "%2e%2e", "%zz", "%ff", "%c0%af", "%00", "%2F", "%E2%82%AC", "%", "%%", "a%20b", "null", "__proto__", "constructor"];
const IDS = ["1", "2", "0", "-1", "1.5", "1e3", "2147483647", "2147483648", "99999999999999999999", "0x10", "NaN", "Infinity", "abc", "display-0001", "fuzz_display_01", "%zz"];
const INSTANTS = ["2026-11-25T08:00:00Z", "2026-11-25T08:00:00.000+08:00", "0", "1", "1764000000000", "99999999999999999999", "8640000000000001", "8639999999999999", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-1", "yesterday", "", "2026-13-45T99:99:99Z", "1e21"];
const NUMBERS = ["0", "1", "10", "60", "300", "1000", "1500", "1501", "-5", "1.5", "1e9", "99999999999999999999", "NaN", "", "abc"];
const QUERY_KEYS = ["operator", "sector", "ticks", "from", "to", "span", "points", "limit", "before", "active", "token", "window", "lang", "theme", "x", "__proto__", ""];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=latin1",
  "text/plain; a=application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/jsonx",
  "",
];
const WEIRD_STRINGS = ["", " ", "\u0000", "é", "漢字", "\ud83d\ude00", "<script>alert(1)</script>", "'; DROP TABLE playlist; --", "a".repeat(5000), "%zz", "null"];

const slug = fc.oneof(fc.constantFrom(...SLUGS), fc.stringMatching(/^[a-z0-9-]{1,60}$/));
const operators = fc.oneof(fc.subarray([...OPERATOR_SLUGS]), fc.array(fc.constantFrom(...OPERATOR_SLUGS, "acme", "", "CHINA-MOBILE"), { maxLength: 5 }));
const sectors = fc.oneof(fc.subarray([...SECTOR_SLUGS]), fc.array(fc.constantFrom(...SECTOR_SLUGS, "steel", ""), { maxLength: 9 }));
const looseString = fc.oneof(fc.constantFrom(...WEIRD_STRINGS), fc.string({ maxLength: 100 }));
const looseNumber = fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.double(), fc.constantFrom(2 ** 31, 2 ** 53, -0, 1e308));
/** A value that is sometimes the right type and sometimes not. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

const view = fc.record(
  {
    title: sometimes(fc.oneof(looseString, fc.constant(null))),
    operators: sometimes(operators),
    sectors: sometimes(sectors),
    window: sometimes(fc.constantFrom("5m", "15m", "1h", "24h", "7d", "2d", "")),
    dwellSeconds: sometimes(fc.oneof(fc.integer({ min: 5, max: 3600 }), looseNumber)),
  },
  { requiredKeys: [] },
);
const playlistBody = fc.record(
  { slug: sometimes(slug), name: sometimes(looseString), views: sometimes(fc.array(view, { maxLength: 4 })), extra: fc.jsonValue({ maxDepth: 1 }) },
  { requiredKeys: [] },
);

/** JSON bodies shaped after each route's zod schema (lib/contracts), often a little wrong. */
const JSON_BODIES: Record<string, fc.Arbitrary<unknown>> = {
  "/api/playlists": playlistBody,
  "/api/playlists/[slug]": playlistBody,
  "/api/playlists/[slug]/tokens": fc.record({ label: sometimes(looseString) }, { requiredKeys: [] }),
  "/api/ingest": fc.record(
    {
      samples: sometimes(
        fc.array(
          fc.record(
            {
              operator: sometimes(fc.constantFrom(...OPERATOR_SLUGS, "acme")),
              sector: sometimes(fc.constantFrom(...SECTOR_SLUGS, "steel")),
              connections: sometimes(looseNumber),
              at: sometimes(fc.oneof(looseString, looseNumber, fc.date({ noInvalidDate: true }).map((date) => date.toISOString()))),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 6 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
  "/api/ingest-keys": fc.record({ label: sometimes(looseString), operators: sometimes(operators) }, { requiredKeys: [] }),
  "/api/session": fc.record({ password: sometimes(looseString), username: sometimes(looseString) }, { requiredKeys: [] }),
  "/api/simulator/incidents": fc.record(
    {
      kind: sometimes(fc.constantFrom("outage", "surge", "leak", "meteor")),
      operator: sometimes(fc.constantFrom(...OPERATOR_SLUGS, "acme")),
      sector: sometimes(fc.constantFrom(...SECTOR_SLUGS, "steel")),
      magnitude: sometimes(looseNumber),
      durationSeconds: sometimes(looseNumber),
    },
    { requiredKeys: [] },
  ),
};

const segmentFor = (name: string) => (name === "[id]" ? fc.constantFrom(...IDS) : slug);

/** A known route with its dynamic segments filled in, or a page, or something else. */
const target: fc.Arbitrary<{ path: string; route: ApiRoute | undefined }> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...API_ROUTES).chain((route) => {
    const parts = route.pattern.split("/");
    return fc.tuple(...parts.map((part) => (part.startsWith("[") ? segmentFor(part) : fc.constant(part)))).map((filled) => ({ path: filled.join("/"), route }));
  }) },
  { weight: 2, arbitrary: fc.constantFrom(...PAGES).map((path) => ({ path, route: matchApiRoute(path) })) },
);

const queryValue = fc.oneof(
  fc.constantFrom(...INSTANTS, ...NUMBERS, "true", "false", "china-mobile", "china-mobile,china-unicom", "energy", "acme", "%zz", "%ff"),
  fc.string({ maxLength: 40 }),
);
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue, fc.boolean()), { maxLength: 4 }).map((pairs) =>
  pairs.length === 0
    ? ""
    : `?${pairs.map(([key, value, raw]) => `${encodeURIComponent(key)}=${raw && /^[\x21-\x7e]*$/.test(value) && !value.includes("#") ? value : encodeURIComponent(value)}`).join("&")}`,
);

const method = (route: ApiRoute | undefined) =>
  fc.oneof(
    { weight: 5, arbitrary: route ? fc.constantFrom(...route.methods) : fc.constant("GET") },
    { weight: 2, arbitrary: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE") },
  );

const body = (pattern: string | undefined): fc.Arbitrary<FuzzBody> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
    { weight: 5, arbitrary: (JSON_BODIES[pattern ?? ""] ?? fc.jsonValue({ maxDepth: 3 })).map((value) => ({ kind: "text" as const, text: JSON.stringify(value) ?? "null" })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: "text" as const, text: JSON.stringify(value) ?? "null" })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("{", "[1,", '{"a":', "\u0000", '"\\ud800"', "{}".repeat(5000))).map((text) => ({ kind: "text" as const, text })) },
    { weight: 1, arbitrary: fc.integer({ min: 60 * 1024, max: 3 * 1024 * 1024 }).map((bytes) => ({ kind: "chunked" as const, prefix: '{"name":"', bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2048 }).map((bytes) => ({ kind: "chunked" as const, prefix: "", bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 64 * 1024 - 64, max: 200 * 1024 }).map((bytes) => ({ kind: "text" as const, text: JSON.stringify({ name: "x".repeat(bytes) }) })) },
  );

/** Present in about one case in `every`. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, every = 5) => fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const headers = (hosts: { good: string[]; bad: string[] }) =>
  fc
    .record({
      "content-type": fc.oneof({ weight: 3, arbitrary: fc.constant("application/json") }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
      host: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...hosts.good) }, { weight: 1, arbitrary: fc.constantFrom(...hosts.bad) }),
      cookie: rarely(fc.constantFrom("pulse_session=forged.value", "pulse_display=x", "pulse_session=", "a=b; pulse_session=1.2.3")),
      accept: rarely(fc.constantFrom("text/html", "application/json", "*/*", "text/x-component"), 3),
      rsc: rarely(fc.constant("1"), 10),
      "next-router-state-tree": rarely(fc.constantFrom("%5B%22%22%5D", "garbage", "%zz"), 10),
      "x-middleware-subrequest": rarely(fc.constant("middleware:middleware:middleware:middleware:middleware"), 10),
      "sec-fetch-site": rarely(fc.constantFrom("same-origin", "cross-site", "none"), 3),
      origin: rarely(fc.constantFrom("http://evil.example", "null"), 10),
    })
    .map((chosen) => Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined && value !== "")) as Record<string, string>);

export function httpCase(hosts: { good: string[]; bad: string[] }): fc.Arbitrary<FuzzCase> {
  return target.chain(({ path, route }) =>
    fc.tuple(method(route), query, headers(hosts)).chain(([chosenMethod, search, chosenHeaders]) => {
      // Bodies mostly where the route reads one; now and then anywhere.
      const readsBody = route?.bodyMethods.includes(chosenMethod as never) ?? false;
      const chosenBody = fc.oneof(
        { weight: readsBody ? 9 : 1, arbitrary: body(route?.pattern) },
        { weight: readsBody ? 1 : 6, arbitrary: fc.constant<FuzzBody>({ kind: "none" }) },
      );
      return chosenBody.map((bodyCase): FuzzCase => ({ kind: "http", method: chosenMethod, path: `${path}${search}`, headers: chosenHeaders, body: bodyCase }));
    }),
  );
}

const subscribePayload = fc.record(
  {
    filter: sometimes(fc.record({ operators: sometimes(operators), sectors: sometimes(sectors) }, { requiredKeys: [] })),
    since: sometimes(looseNumber),
    snapshotTicks: sometimes(fc.oneof(fc.integer({ min: 0, max: 900 }), looseNumber)),
  },
  { requiredKeys: [] },
);
const heartbeatPayload = fc.record(
  {
    displayId: sometimes(fc.constantFrom(...IDS)),
    playlist: sometimes(fc.oneof(slug, fc.constant(null))),
    viewIndex: sometimes(fc.oneof(looseNumber, fc.constant(null))),
    viewTitle: sometimes(fc.oneof(looseString, fc.constant(null))),
    buildId: sometimes(looseString),
    jsHeapBytes: sometimes(fc.oneof(looseNumber, fc.constant(null))),
    fps: sometimes(fc.oneof(looseNumber, fc.constant(null))),
  },
  { requiredKeys: [] },
);

export const socketCase: fc.Arbitrary<SocketCase> = fc.record({
  kind: fc.constant("socket" as const),
  event: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...CLIENT_EVENTS) }, { weight: 1, arbitrary: fc.constantFrom("unknown:event", "connect", "disconnect", "") }),
  payload: fc.oneof(subscribePayload, heartbeatPayload, fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)),
  withAck: fc.boolean(),
});

/** Outcome counts: `${label} ${status}` → count. */
export type Tally = Map<string, number>;
const count = (tally: Tally, key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

function bodyStream(prefix: string, bytes: number): Readable {
  const filler = Buffer.alloc(16 * 1024, 0x61);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      const piece = sent === 0 ? Buffer.concat([Buffer.from(prefix), filler]).subarray(0, Math.min(bytes, filler.length)) : filler.subarray(0, Math.min(filler.length, bytes - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
}

export interface HttpOutcome {
  status: number | "no-answer";
  error?: string;
}

export async function sendHttpCase(baseUrl: string, fuzzCase: FuzzCase): Promise<HttpOutcome> {
  const headers = { ...fuzzCase.headers };
  let payload: string | Readable | undefined;
  if (fuzzCase.body.kind === "text") payload = fuzzCase.body.text;
  if (fuzzCase.body.kind === "chunked") {
    headers["transfer-encoding"] = "chunked";
    payload = bodyStream(fuzzCase.body.prefix, fuzzCase.body.bytes);
  }
  try {
    const answer = await rawRequest(baseUrl, { method: fuzzCase.method, path: fuzzCase.path, headers, body: payload, timeoutMs: 30_000 });
    return { status: answer.status, error: answer.status >= 500 ? answer.body.slice(0, 300) : undefined };
  } catch (error) {
    return { status: "no-answer", error: error instanceof Error ? error.message : String(error) };
  }
}

export function labelOf(path: string): string {
  const pathname = path.split("?", 1)[0]!;
  const route = matchApiRoute(pathname);
  if (route) return route.pattern;
  if (pathname.startsWith("/api")) return "/api/(other)";
  if (pathname.startsWith("/_next/")) return "/_next/*";
  if (pathname.startsWith("/wall")) return "/wall*";
  return "(page)";
}

export interface FuzzOptions {
  url: string;
  runs: number;
  seed?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Share of cases that are socket events (0–1). */
  socketShare?: number;
  /** Host headers the server must accept. */
  goodHosts: string[];
  /** True while the database is deliberately down: 503 is then a fine answer. */
  databaseDown?: () => boolean;
  /** Throws when the server process has exited. */
  assertAlive?: () => void;
  log?: (line: string) => void;
}

export interface FuzzReport {
  cases: number;
  http: Tally;
  socket: Tally;
  failures: { case: FuzzCase | SocketCase; outcome: string }[];
  crashes: string[];
  seed: number;
}

async function healthAnswers(url: string): Promise<boolean> {
  try {
    const answer = await rawRequest(url, { path: "/api/health", timeoutMs: 15_000 });
    return answer.status === 200 || answer.status === 503;
  } catch {
    return false;
  }
}

/** Runs `runs` cases against a running server and reports what came back. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const report: FuzzReport = { cases: 0, http: new Map(), socket: new Map(), failures: [], crashes: [], seed };
  const concurrency = options.concurrency ?? 4;
  const hosts = { good: options.goodHosts, bad: ["evil.example", "attacker.test:80", "127.0.0.2", "[::2]:1", "localhost:1"] };
  const arbitrary = fc.oneof(
    { weight: Math.round((1 - (options.socketShare ?? 0.1)) * 100), arbitrary: httpCase(hosts) },
    { weight: Math.round((options.socketShare ?? 0.1) * 100), arbitrary: socketCase },
  );
  let socket: Socket | undefined;
  const openSocket = async (): Promise<Socket> => {
    if (socket?.connected) return socket;
    socket?.close();
    const fresh = connect(options.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { origin: new URL(options.url).origin } });
    socket = fresh;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      fresh.once("connect", () => (clearTimeout(timer), resolve()));
      fresh.once("connect_error", () => (clearTimeout(timer), resolve()));
    });
    return fresh;
  };

  const runOne = async (fuzzCase: FuzzCase | SocketCase) => {
    if (fuzzCase.kind === "http") {
      const outcome = await sendHttpCase(options.url, fuzzCase);
      count(report.http, `${labelOf(fuzzCase.path)} ${outcome.status}`);
      const allowed503 = outcome.status === 503 && (options.databaseDown?.() ?? false);
      if (outcome.status === "no-answer" || (outcome.status >= 500 && !allowed503)) {
        report.failures.push({ case: fuzzCase, outcome: `${outcome.status} ${outcome.error ?? ""}` });
      }
      return;
    }
    const client = await openSocket();
    if (!client.connected) return void count(report.socket, `${fuzzCase.event || "(empty)"} not-connected`);
    let outcome: string;
    try {
      if (fuzzCase.withAck) {
        const answer = (await client.timeout(5_000).emitWithAck(fuzzCase.event as "stream:unsubscribe", fuzzCase.payload as never)) as { ok?: boolean; error?: { code?: string } };
        outcome = answer?.ok ? "ack-ok" : `ack-${answer?.error?.code ?? "error"}`;
      } else {
        client.emit(fuzzCase.event as "stream:unsubscribe", fuzzCase.payload as never);
        outcome = "sent";
      }
    } catch (error) {
      outcome = client.connected ? "no-ack" : "disconnected";
      void error;
    }
    count(report.socket, `${fuzzCase.event || "(empty)"} ${outcome}`);
  };

  const batchSize = 200;
  for (let done = 0; done < options.runs; done += batchSize) {
    const batch = fc.sample(arbitrary, { numRuns: Math.min(batchSize, options.runs - done), seed: seed + done });
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batch.length) {
          const fuzzCase = batch[next++]!;
          await runOne(fuzzCase);
          report.cases++;
        }
      }),
    );
    try {
      options.assertAlive?.();
    } catch (error) {
      report.crashes.push(error instanceof Error ? error.message : String(error));
      break;
    }
    if (!(await healthAnswers(options.url))) {
      report.crashes.push(`/api/health stopped answering after ${report.cases} cases`);
      break;
    }
    options.log?.(`${report.cases}/${options.runs} cases, ${report.failures.length} failures`);
  }
  socket?.close();
  return report;
}

/** The counts as a table: one line per route, one column per status. */
export function formatReport(report: FuzzReport): string {
  const lines: string[] = [];
  const table = (tally: Tally, title: string) => {
    const rows = new Map<string, Map<string, number>>();
    const columns = new Set<string>();
    for (const [key, value] of tally) {
      const split = key.lastIndexOf(" ");
      const [label, status] = [key.slice(0, split), key.slice(split + 1)];
      columns.add(status);
      if (!rows.has(label)) rows.set(label, new Map());
      rows.get(label)!.set(status, value);
    }
    const statuses = [...columns].sort();
    const width = Math.max(title.length, ...[...rows.keys()].map((label) => label.length));
    const cell = (status: string, value: string) => value.padStart(Math.max(7, status.length) + 1);
    lines.push(`${title.padEnd(width)} ${statuses.map((status) => cell(status, status)).join("")}`);
    for (const [label, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`${label.padEnd(width)} ${statuses.map((status) => cell(status, String(row.get(status) ?? ""))).join("")}`);
    }
    const totals = statuses.map((status) => [...rows.values()].reduce((sum, row) => sum + (row.get(status) ?? 0), 0));
    lines.push(`${"total".padEnd(width)} ${statuses.map((status, index) => cell(status, String(totals[index]))).join("")}`);
  };
  table(report.http, "HTTP route");
  lines.push("");
  table(report.socket, "socket event");
  lines.push("");
  lines.push(`${report.cases} cases (seed ${report.seed}); ${report.failures.length} answers >= 500 or without answer; ${report.crashes.length} crashes`);
  for (const failure of report.failures.slice(0, 20)) lines.push(`  FAIL ${failure.outcome.slice(0, 200)} ← ${JSON.stringify(failure.case).slice(0, 400)}`);
  for (const crash of report.crashes) lines.push(`  CRASH ${crash}`);
  return lines.join("\n");
}
