import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/ingest-keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/ingest-keys/route";
import { POST as postInflux } from "@/app/api/ingest/influx/route";
import { POST as postJson } from "@/app/api/ingest/route";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { createdIngestKeySchema, ingestAnswerSchema, ingestKeysResponseSchema } from "@/lib/contracts/ingest";
import { listAudit } from "@/lib/db/audit";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { signedInAccount } from "../support/accounts";
import { openSeededDatabase } from "../support/database";
import { withClient } from "../support/pg-client";

// Low enough that the rate-limit test reaches it with a burst; each test writes with its own key.
process.env.INGEST_REQUESTS_PER_KEY_PER_SECOND = "20";

let url = "";
let database: Database;
let close: () => Promise<void>;
let operatorCookie = "";

beforeAll(async () => {
  ({ url, database, close } = await openSeededDatabase());
  ({ cookie: operatorCookie } = await signedInAccount("operator"));
});
afterAll(async () => close());

async function newKey(label = "feed", operators: string[] = []) {
  const response = await createKey(
    new Request("http://localhost/api/ingest-keys", { method: "POST", headers: { "content-type": "application/json", cookie: operatorCookie }, body: JSON.stringify({ label, operators }) }),
    undefined,
  );
  expect(response.status).toBe(201);
  return createdIngestKeySchema.parse(await response.json());
}

const sendJson = (secret: string | null, body: unknown, headers: Record<string, string> = {}) =>
  postJson(
    new Request("http://localhost/api/ingest", {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );

const sendLines = (secret: string, body: string, query = "", headers: Record<string, string> = {}) =>
  postInflux(new Request(`http://localhost/api/ingest/influx${query}`, { method: "POST", headers: { "content-type": "text/plain; charset=utf-8", authorization: `Token ${secret}`, ...headers }, body }), undefined);

const answerOf = async (response: Response) => {
  expect(response.status).toBe(202);
  return ingestAnswerSchema.parse(await response.json());
};
const errorOf = async (response: Response) => apiErrorBodySchema.parse(await response.json()).error;

const storedRows = () =>
  withClient(url, async (client) =>
    (await client.query<{ operator_slug: string; sector_slug: string; at: Date; connections: number; source: string }>("SELECT * FROM measured_sample ORDER BY at, operator_slug, sector_slug")).rows,
  );

// Whole minutes in the recent past, so that each test's samples are distinct and inside the window.
let minuteCursor = Math.floor(Date.now() / 60_000) * 60_000 - 600 * 60_000;
const freshMinute = () => (minuteCursor += 60_000);
const sample = (atMs: number, overrides: Record<string, unknown> = {}) => ({ operator: "china-mobile", sector: "energy", connections: 9_512_345, at: atMs, ...overrides });

describe("POST /api/ingest (JSON)", () => {
  it("refuses a key-less or wrong-key write with 401 and stores nothing", async () => {
    const before = (await storedRows()).length;
    const keyless = await sendJson(null, { samples: [sample(freshMinute())] });
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get("www-authenticate")).toContain("Bearer");
    expect((await errorOf(keyless)).message).toContain("needs an ingest key");
    const wrong = await sendJson("pulse_ik_not-a-key", { samples: [sample(freshMinute())] });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).message).toContain("not valid or has been revoked");
    expect((await storedRows()).length).toBe(before);
  });

  it("stores a batch once committed, counts repeats as duplicates, and the same feed sent twice stores each sample once", async () => {
    const { secret } = await newKey();
    const at = freshMinute();
    const batch = { samples: [sample(at), sample(at + 30_000, { connections: 9_512_400 }), sample(at, { connections: 1 }), sample(at, { sector: "retail", connections: 0, at: new Date(at).toISOString() })] };
    expect(await answerOf(await sendJson(secret, batch))).toEqual({ accepted: 3, duplicate: 1, refused: 0, errors: [] });
    expect(await answerOf(await sendJson(secret, batch))).toEqual({ accepted: 0, duplicate: 4, refused: 0, errors: [] });
    const rows = (await storedRows()).filter((row) => row.at.getTime() >= at && row.at.getTime() < at + 60_000);
    expect(rows.map((row) => [row.sector_slug, row.connections, row.source])).toEqual([
      ["energy", 9_512_345, "http"],
      ["retail", 0, "http"],
      ["energy", 9_512_400, "http"],
    ]);
    // The minute's rollup is now the measured aggregate of its samples.
    const rollup = await withClient(url, async (client) =>
      (await client.query("SELECT min, max, last, samples, provenance FROM connection_rollup WHERE operator_slug = 'china-mobile' AND sector_slug = 'energy' AND minute = $1", [new Date(at)])).rows[0],
    );
    expect(rollup).toEqual({ min: 9_512_345, max: 9_512_400, last: 9_512_400, samples: 2, provenance: "measured" });
  });

  it("refuses late, future-dated and malformed items one by one with reasons, and stores only the valid ones", async () => {
    const { secret } = await newKey();
    const at = freshMinute();
    const answer = await answerOf(
      await sendJson(secret, {
        samples: [
          sample(at),
          sample(Date.now() - 25 * 3_600_000),
          sample(Date.now() + 10 * 60_000),
          sample(at, { operator: "china-moble" }),
          sample(at, { connections: -5 }),
          sample(at, { at: "2026-11-26 09:00" }),
          { operator: "china-mobile" },
        ],
      }),
    );
    expect(answer).toMatchObject({ accepted: 1, duplicate: 0, refused: 6 });
    expect(answer.errors.map((error) => ("index" in error ? error.index : null))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answer.errors[0]!.reason).toMatch(/^too late/);
    expect(answer.errors[1]!.reason).toMatch(/^in the future/);
    expect(answer.errors[2]!.reason).toContain("unknown operator");
    const rows = await storedRows();
    expect(rows.filter((row) => row.connections === -5 || row.at.getTime() > Date.now() || row.at.getTime() < Date.now() - 24 * 3_600_000)).toEqual([]);
    expect(rows.filter((row) => row.at.getTime() === at)).toHaveLength(1);
  });

  it("answers 400 for a malformed body, 413 above 5,000 samples or 1 MiB, 415 for a body that is not JSON", async () => {
    const { secret } = await newKey();
    const before = (await storedRows()).length;
    for (const body of ["{not json", "[]", '{"samples": 3}', '{"samples": []}']) {
      const response = await sendJson(secret, body);
      expect(response.status, body).toBe(400);
    }
    const tooMany = await sendJson(secret, { samples: Array.from({ length: 5_001 }, (_, index) => sample(minuteCursor + index)) });
    expect(tooMany.status).toBe(413);
    expect((await errorOf(tooMany)).message).toContain("at most 5000 samples");
    const tooBig = await sendJson(secret, JSON.stringify({ samples: [sample(freshMinute())], padding: "x".repeat(1024 * 1024) }));
    expect(tooBig.status).toBe(413);
    expect((await sendJson(secret, "{}", { "content-type": "text/plain" })).status).toBe(415);
    expect((await storedRows()).length).toBe(before);
  });

  it("refuses a whole batch with 403 when a key limited to some operators writes for another, storing nothing", async () => {
    const { secret } = await newKey("mobile only", ["china-mobile"]);
    const at = freshMinute();
    const response = await sendJson(secret, { samples: [sample(at), sample(at, { operator: "china-unicom" })] });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toContain("china-unicom");
    expect((await storedRows()).filter((row) => row.at.getTime() === at)).toEqual([]);
    expect(await answerOf(await sendJson(secret, { samples: [sample(at)] }))).toMatchObject({ accepted: 1 });
  });

  it("refuses a revoked key at once, and audits creation and revocation", async () => {
    const { secret, key } = await newKey("to revoke");
    expect(await answerOf(await sendJson(secret, { samples: [sample(freshMinute())] }))).toMatchObject({ accepted: 1 });
    const revoked = await revokeKey(new Request(`http://localhost/api/ingest-keys/${key.id}`, { method: "DELETE", headers: { cookie: operatorCookie } }), {
      params: Promise.resolve({ id: String(key.id) }),
    });
    expect(revoked.status).toBe(200);
    const refused = await sendJson(secret, { samples: [sample(freshMinute())] });
    expect(refused.status).toBe(401);
    const listed = ingestKeysResponseSchema.parse(await (await listKeys(new Request("http://localhost/api/ingest-keys", { headers: { cookie: operatorCookie } }), undefined)).json());
    const entry = listed.keys.find((candidate) => candidate.id === key.id);
    expect(entry?.revokedAt).not.toBeNull();
    expect(entry?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);
    const actions = (await listAudit({ limit: 50 })).events.filter((event) => event.target === "to revoke").map((event) => event.action);
    expect(actions).toEqual(["ingest-key.revoke", "ingest-key.create"]);
  });

  it("lets only signed-in operators manage keys", async () => {
    const anonymous = await createKey(new Request("http://localhost/api/ingest-keys", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ label: "x" }) }), undefined);
    expect(anonymous.status).toBe(401);
    const { cookie } = await signedInAccount("viewer");
    expect((await listKeys(new Request("http://localhost/api/ingest-keys", { headers: { cookie } }), undefined)).status).toBe(403);
  });

  it("answers 503 while the database cannot be reached, so the sender retries", async () => {
    const { secret } = await newKey();
    // Nothing listens on port 1: every query fails as with a database that went away.
    const unreachable = createDatabase("postgresql://postgres@127.0.0.1:1/nothing", "external");
    installDatabase(unreachable);
    try {
      const response = await sendJson(secret, { samples: [sample(freshMinute())] });
      expect(response.status).toBe(503);
      expect((await errorOf(response)).code).toBe("unavailable");
    } finally {
      installDatabase(database);
      await closeDatabase(unreachable);
    }
  });

  it("answers 429 with Retry-After when one key sends too fast", async () => {
    const { secret } = await newKey("burst");
    const responses = await Promise.all(Array.from({ length: 40 }, () => sendJson(secret, "{}")));
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("POST /api/ingest/influx (line protocol)", () => {
  const line = (operator: string, sector: string, value: string, timestamp: number | bigint) => `m2m_connections,host=gw,operator=${operator},sector=${sector} value=${value} ${timestamp}`;

  it("stores lines in the given precision with Telegraf's Token scheme, refusing bad lines by number", async () => {
    const { secret } = await newKey();
    const at = freshMinute();
    const body = ["# from telegraf", line("china-telecom", "healthcare", "777i", at / 1000), line("china-telecom", "healthcare", "1.5", at / 1000 + 1), "cpu usage=1 1", ""].join("\n");
    const answer = await answerOf(await sendLines(secret, body, "?precision=s"));
    expect(answer).toEqual({
      accepted: 1,
      duplicate: 0,
      refused: 2,
      errors: [
        { line: 3, reason: "connections must be a whole number (got 1.5)" },
        { line: 4, reason: 'measurement "cpu" is not m2m_connections' },
      ],
    });
    const ns = line("china-telecom", "healthcare", "777i", BigInt(at) * 1_000_000n);
    expect(await answerOf(await sendLines(secret, ns))).toMatchObject({ accepted: 0, duplicate: 1 });
    const rows = (await storedRows()).filter((row) => row.at.getTime() === at);
    expect(rows).toEqual([expect.objectContaining({ operator_slug: "china-telecom", sector_slug: "healthcare", connections: 777, source: "influx" })]);
  });

  it("answers 400 for a bad precision or an empty body, 413 above 5,000 lines, 415 for compressed bodies", async () => {
    const { secret } = await newKey();
    expect((await sendLines(secret, line("china-mobile", "energy", "1i", 1), "?precision=minutes")).status).toBe(400);
    expect((await sendLines(secret, "\n# nothing\n")).status).toBe(400);
    const lines = Array.from({ length: 5_001 }, (_, index) => line("china-mobile", "energy", "1i", BigInt(minuteCursor + index) * 1_000_000n)).join("\n");
    expect((await sendLines(secret, lines)).status).toBe(413);
    expect((await sendLines(secret, line("china-mobile", "energy", "1i", 1), "", { "content-encoding": "gzip" })).status).toBe(415);
  });
});
