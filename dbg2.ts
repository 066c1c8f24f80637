import { startServer } from "@/e2e/support/server";
import { ensureDatabaseExists } from "@/lib/db/admin";
const dbUrl = await ensureDatabaseExists(process.env.DATABASE_URL!, "pulse_dbg_edge");
const server = await startServer({ port: 3661, env: { DATABASE_URL: dbUrl, LOG_LEVEL: "warn", HISTORY_BACKFILL_HOURS: "0" } });
console.log("READY", server.process.pid);
process.on("SIGTERM", async () => { await server.stop(); process.exit(0); });
setInterval(() => {}, 1000);
