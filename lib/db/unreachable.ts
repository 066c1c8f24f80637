import "server-only";
/** Prisma's codes for "the server cannot be reached / the connection failed or timed out". */
const PRISMA_CONNECTION_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Node's socket errors on the way to the database. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** pg's own messages when a connection drops or cannot be had in time. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Connection refused|connect ECONNREFUSED|server closed the connection/i;

/**
 * True when `error` says the database could not be reached (rather than that a query was wrong),
 * so that an API can answer 503 "try again" instead of 500. Looks through `cause` chains, where
 * Prisma's driver adapter and pg nest the original error.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (PRISMA_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code)) return true;
      // SQLSTATE 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now), 53300 (too many connections).
      if (/^08...$|^57P0[123]$|^53300$/.test(code)) return true;
    }
    if (PG_MESSAGES.test(current.message)) return true;
  }
  return false;
}
