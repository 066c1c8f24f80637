/**
 * One-off database tasks against the configured database (DATABASE_URL, or the embedded one):
 *   npm run db:migrate   apply pending migrations
 *   npm run db:seed      migrate, then write the reference data (idempotent)
 */
import { closeDatabase, createDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { EnvError, getEnv } from "@/lib/env";
import { configureLogger } from "@/lib/logger";
import { provideDatabase } from "./database";
import { Lifecycle } from "./lifecycle";

const TASKS = ["migrate", "seed"] as const;
type Task = (typeof TASKS)[number];

async function run(task: Task): Promise<void> {
  const env = getEnv();
  configureLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, development: env.NODE_ENV === "development" });
  const lifecycle = new Lifecycle();
  try {
    const { url, kind } = await provideDatabase(env, lifecycle);
    await migrateDatabase(url);
    if (task === "seed") {
      const database = createDatabase(url, kind);
      lifecycle.onShutdown("database", () => closeDatabase(database));
      await seedReferenceData(database.prisma);
    }
  } finally {
    await lifecycle.shutdown(`task ${task} finished`);
  }
}

const task = process.argv[2];
if (!TASKS.includes(task as Task)) {
  process.stderr.write(`usage: tsx server/tasks.ts <${TASKS.join("|")}>\n`);
  process.exit(2);
}
run(task as Task).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`m2m-pulse ${task}: ${error instanceof EnvError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
