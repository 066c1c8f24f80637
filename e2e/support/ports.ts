/** The shared e2e server. Specs that need a server of their own take ports above it. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);
/** The embedded PostgreSQL used for e2e when DATABASE_URL is unset. */
export const E2E_EMBEDDED_PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 54349);

export { freePort } from "@/test/support/free-port";
