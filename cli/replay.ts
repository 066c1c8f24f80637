/**
 * npm run replay -- <feed.csv|feed.lp> [--speed 60] [--url http://localhost:3000] [--key KEY] [--as-recorded]
 *
 * Sends a recorded feed through the HTTP ingest API, for demos and drills: restamped so that its
 * first sample lands now and the rest follow at `--speed` times the recorded pace, each batch
 * sent when it falls due, with retries. Needs an ingest key (--key or INGEST_KEY): make one at
 * /admin/ingest-keys, or with `npm run ingest-key -- create <label>`.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ingestAnswerSchema, type IngestAnswer, type Sample } from "@/lib/contracts/ingest";
import { fromMilliseconds } from "@/lib/domain/ingest/influx";
import { formatLine } from "@/lib/domain/ingest/line-protocol";
import { FeedError, batchAsRecorded, parseCsvFeed, parseLineProtocolFeed, planReplay, retryDelayMs, type DueBatch } from "@/lib/domain/ingest/replay";

const DEFAULT_URL = "http://localhost:3000";
const usage = "usage: npm run replay -- <feed.csv|feed.lp> [--speed N] [--url URL] [--key KEY] [--as-recorded] [--batch N]";
const help = `${usage}

Sends a recorded feed through M2M Pulse's HTTP ingest API. The feed is restamped so that its
first sample lands now and a later one at now + (at − first) / speed; each batch is sent when it
falls due. Failed sends are retried with exponential backoff (5xx, 429 after its Retry-After,
network errors); other 4xx answers stop the replay.

  feed.csv        header operator,sector,connections,at (at: ISO 8601 with offset, or epoch ms)
  feed.lp         InfluxDB line protocol, m2m_connections lines with nanosecond timestamps
                  (sent to /api/ingest/influx; a CSV feed goes to /api/ingest as JSON)

options:
  --speed N       recorded seconds per real second (default 1; 60 plays an hour in a minute)
  --url URL       the server (default ${DEFAULT_URL})
  --key KEY       the ingest key (default: the INGEST_KEY environment variable)
  --as-recorded   send the samples with their recorded times, all at once (a feed already
                  sent this way is stored once: a second run counts duplicates)
  --batch N       samples per request, at most 5000 (default 1000)
  -h, --help      this text

example: INGEST_KEY=pulse_ik_… npm run replay -- docs/sample-feed.csv --speed 60
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`replay: ${message}\n${code === 2 ? `${usage}\n` : ""}`);
  process.exit(code);
}

function readArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        speed: { type: "string", default: "1" },
        url: { type: "string", default: DEFAULT_URL },
        key: { type: "string" },
        "as-recorded": { type: "boolean", default: false },
        batch: { type: "string", default: "1000" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  url: string;
  contentType: string;
  body: (samples: readonly Sample[]) => string;
}

function targetFor(file: string, baseUrl: string): Target {
  if (file.endsWith(".lp")) {
    return {
      url: `${baseUrl}/api/ingest/influx?precision=ms`,
      contentType: "text/plain; charset=utf-8",
      body: (samples) =>
        samples
          .map((sample) =>
            formatLine({
              measurement: "m2m_connections",
              tags: new Map([["operator", sample.operator], ["sector", sample.sector]]),
              fields: new Map([["value", { type: "integer", value: BigInt(sample.connections) }]]),
              timestamp: fromMilliseconds(sample.atMs, "ms"),
            }),
          )
          .join("\n"),
    };
  }
  return {
    url: `${baseUrl}/api/ingest`,
    contentType: "application/json",
    body: (samples) => JSON.stringify({ samples: samples.map(({ operator, sector, connections, atMs }) => ({ operator, sector, connections, at: atMs })) }),
  };
}

/** One batch, retried as retryDelayMs says; the server's answer, or a reason to stop. */
async function send(target: Target, key: string, batch: DueBatch): Promise<IngestAnswer> {
  const body = target.body(batch.samples);
  for (let attempt = 1; ; attempt++) {
    let status: number | null = null;
    let retryAfter: string | null = null;
    let problem: string;
    try {
      const response = await fetch(target.url, { method: "POST", headers: { "content-type": target.contentType, authorization: `Bearer ${key}` }, body });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      const answer: unknown = await response.json().catch(() => undefined);
      if (status === 202) return ingestAnswerSchema.parse(answer);
      const message = (answer as { error?: { message?: string } } | undefined)?.error?.message;
      problem = `${status}${message ? `: ${message}` : ""}`;
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      problem = `${error instanceof Error ? error.message : String(error)}${cause}`;
    }
    const delay = retryDelayMs(attempt, status, retryAfter);
    if (delay === null) throw new Error(`${target.url} refused a batch of ${batch.samples.length} after ${attempt} attempt(s): ${problem}`);
    process.stderr.write(`replay: ${problem}; retrying in ${(delay / 1000).toFixed(1)} s\n`);
    await sleep(delay);
  }
}

async function main(): Promise<void> {
  const { values: args, positionals } = readArguments();
  if (args.help) {
    process.stdout.write(help);
    return;
  }
  if (positionals.length !== 1) fail("give exactly one feed file");
  const file = positionals[0]!;
  if (!file.endsWith(".csv") && !file.endsWith(".lp")) fail("the feed must be a .csv or a .lp file");
  const speed = Number(args.speed);
  if (!Number.isFinite(speed) || speed <= 0) fail(`--speed must be a number above 0 (got '${args.speed}')`);
  const batchSize = Number(args.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) fail(`--batch must be a whole number from 1 to 5000 (got '${args.batch}')`);
  const key = args.key ?? process.env.INGEST_KEY;
  if (!key) fail("no ingest key: pass --key or set INGEST_KEY (make one at /admin/ingest-keys or with `npm run ingest-key -- create <label>`)");
  let baseUrl: string;
  try {
    baseUrl = new URL(args.url).origin;
  } catch {
    fail(`--url '${args.url}' is not a URL`);
  }

  let feed: Sample[];
  try {
    const text = await readFile(file, "utf8");
    feed = file.endsWith(".lp") ? parseLineProtocolFeed(text) : parseCsvFeed(text);
  } catch (error) {
    fail(`${file}: ${error instanceof FeedError || error instanceof Error ? error.message : String(error)}`, 1);
  }
  if (feed.length === 0) fail(`${file} holds no samples`, 1);

  const target = targetFor(file, baseUrl);
  const plan = args["as-recorded"] ? batchAsRecorded(feed, batchSize) : planReplay(feed, Date.now(), speed, batchSize);
  const total: IngestAnswer = { accepted: 0, duplicate: 0, refused: 0, errors: [] };
  process.stderr.write(`replay: ${feed.length} samples from ${file} in ${plan.length} batches to ${target.url}${args["as-recorded"] ? " as recorded" : ` at ${speed}× speed`}\n`);
  for (const batch of plan) {
    const wait = batch.dueMs - Date.now();
    if (wait > 0) await sleep(wait);
    const answer = await send(target, key, batch);
    total.accepted += answer.accepted;
    total.duplicate += answer.duplicate;
    total.refused += answer.refused;
    for (const error of answer.errors.slice(0, 3)) process.stderr.write(`replay: refused: ${error.reason}\n`);
  }
  process.stdout.write(`${JSON.stringify({ samples: feed.length, batches: plan.length, accepted: total.accepted, duplicate: total.duplicate, refused: total.refused })}\n`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
