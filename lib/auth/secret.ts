import { randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";

// Shared by the custom server and Next's route handlers, which load their own copy of this module.
const holder = globalThis as typeof globalThis & { __pulseSessionSecret?: string };

/** PULSE_SESSION_SECRET, or one random secret for the life of this process (sessions end with it). */
export function sessionSecret(): string {
  holder.__pulseSessionSecret ??= getEnv().PULSE_SESSION_SECRET ?? randomBytes(32).toString("base64url");
  return holder.__pulseSessionSecret;
}
