import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here (migrations are node-pg-migrate's job), so no datasource
// URL is needed; the runtime client gets its connection from lib/db/client.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
