/**
 * One-off database tasks against the configured database (DATABASE_URL, or the embedded one):
 *   npm run db:migrate   apply pending migrations
 *   npm run db:seed      migrate, then write the reference data (idempotent)
 *   npm run ingest-key -- create <label> [--operators china-mobile,china-unicom]
 *                        a new ingest key, printed once (also beside a running server)
 *   npm run ingest-key -- list | revoke <id>
 */
import { userInfo } from "node:os";
import { OPERATOR_SLUGS } from "@/lib/contracts/catalog";
import { createIngestKeySchema } from "@/lib/contracts/ingest";
import { describeZodError, databaseIdSchema } from "@/lib/contracts/api";
import { recordAudit } from "@/lib/db/audit";
import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { createIngestKey, listIngestKeys, revokeIngestKey } from "@/lib/db/ingest-keys";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { EnvError, getEnv } from "@/lib/env";
import { configureLogger } from "@/lib/logger";
import { provideDatabase, provideOrShareDatabase } from "./database";
import { Lifecycle } from "./lifecycle";

const TASKS = ["migrate", "seed", "ingest-key"] as const;
type Task = (typeof TASKS)[number];

const INGEST_KEY_USAGE = `usage: npm run ingest-key -- create <label> [--operators ${OPERATOR_SLUGS.join(",")}] | list | revoke <id>`;

class UsageError extends Error {}

/** Ingest keys from the command line: for a newcomer's first feed, before anyone has signed in. */
async function ingestKeyTask(args: readonly string[]): Promise<void> {
  const [command, ...rest] = args;
  // The audit log names who did it: here, the machine's user.
  const actor = `cli:${userInfo().username}`.slice(0, 60);
  if (command === "create") {
    const operatorsAt = rest.indexOf("--operators");
    const operators = operatorsAt >= 0 ? (rest[operatorsAt + 1] ?? "").split(",").filter(Boolean) : [];
    const label = rest.filter((_, index) => operatorsAt < 0 || (index !== operatorsAt && index !== operatorsAt + 1)).join(" ");
    const input = createIngestKeySchema.safeParse({ label, operators });
    if (!input.success) throw new UsageError(`${describeZodError(input.error)}\n${INGEST_KEY_USAGE}`);
    const { key, secret } = await createIngestKey({ ...input.data, createdBy: actor });
    await recordAudit({ accountId: null, username: actor, action: "ingest-key.create", target: key.label, address: "local", detail: { keyId: key.id, operators: key.operators } });
    process.stderr.write(`created ingest key ${key.id} '${key.label}' (${key.operators.length ? key.operators.join(", ") : "all operators"}); it is shown once, here:\n`);
    process.stdout.write(`${secret}\n`);
    return;
  }
  if (command === "list" && rest.length === 0) {
    for (const key of await listIngestKeys()) {
      process.stdout.write(`${key.id}\t${key.label}\t${key.operators.join(",") || "all operators"}\t${key.revokedAt ? `revoked ${key.revokedAt}` : "active"}\tlast used ${key.lastUsedAt ?? "never"}\n`);
    }
    return;
  }
  if (command === "revoke" && rest.length === 1) {
    const id = databaseIdSchema.safeParse(rest[0]);
    if (!id.success) throw new UsageError(`id: ${describeZodError(id.error)}\n${INGEST_KEY_USAGE}`);
    const key = await revokeIngestKey(id.data);
    if (!key) throw new UsageError(`no ingest key ${id.data}`);
    await recordAudit({ accountId: null, username: actor, action: "ingest-key.revoke", target: key.label, address: "local", detail: { keyId: key.id } });
    process.stderr.write(`revoked ingest key ${key.id} '${key.label}'\n`);
    return;
  }
  throw new UsageError(INGEST_KEY_USAGE);
}

async function run(task: Task, args: readonly string[]): Promise<void> {
  const env = getEnv();
  // The key task prints the key on stdout: only warnings go beside it.
  configureLogger({ level: task === "ingest-key" ? "warn" : env.LOG_LEVEL, format: env.LOG_FORMAT, development: env.NODE_ENV === "development" });
  const lifecycle = new Lifecycle();
  try {
    const { url, kind } = await (task === "ingest-key" ? provideOrShareDatabase(env, lifecycle) : provideDatabase(env, lifecycle));
    await migrateDatabase(url);
    if (task === "migrate") return;
    const database = createDatabase(url, kind);
    lifecycle.onShutdown("database", () => closeDatabase(database));
    if (task === "seed") await seedReferenceData(database.prisma);
    if (task === "ingest-key") {
      installDatabase(database);
      await ingestKeyTask(args);
    }
  } finally {
    await lifecycle.shutdown(`task ${task} finished`);
  }
}

const [task, ...args] = process.argv.slice(2);
if (!TASKS.includes(task as Task)) {
  process.stderr.write(`usage: tsx server/tasks.ts <${TASKS.join("|")}>\n`);
  process.exit(2);
}
run(task as Task, args).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`m2m-pulse ${task}: ${error instanceof EnvError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
