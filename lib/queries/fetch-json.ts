import type { z } from "zod";
import { apiErrorBodySchema } from "@/lib/contracts/api";

/** GETs one of our API routes and validates the answer against its contract. */
export async function fetchJson<Schema extends z.ZodType>(url: string, schema: Schema, signal?: AbortSignal): Promise<z.output<Schema>> {
  const response = await fetch(url, { signal, headers: { accept: "application/json" } });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = apiErrorBodySchema.safeParse(body);
    throw new Error(error.success ? error.data.error.message : `${url} answered ${response.status}`);
  }
  return schema.parse(body);
}

/** Sends a JSON body to one of our API routes; throws the API's own error message on failure. */
export async function sendJson<Schema extends z.ZodType>(method: "POST" | "PUT" | "PATCH" | "DELETE", url: string, body: unknown, schema: Schema): Promise<z.output<Schema>> {
  const response = await fetch(url, {
    method,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer: unknown = response.status === 204 ? {} : await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = apiErrorBodySchema.safeParse(answer);
    throw new Error(error.success ? error.data.error.message : `${url} answered ${response.status}`);
  }
  return schema.parse(answer);
}
