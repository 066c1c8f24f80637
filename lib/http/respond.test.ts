import { describe, expect, it } from "vitest";
import { z } from "zod";
import { captureLogs } from "@/lib/logger";
import { HttpError, handle, parseJsonBody, parseQuery } from "./respond";

const schema = z.object({ limit: z.coerce.number().int().positive().optional(), operator: z.string().optional() });
const request = (query: string) => new Request(`http://localhost/api/x${query}`);

describe("parseQuery", () => {
  it("parses known parameters", () => {
    expect(parseQuery(request("?limit=5"), schema)).toEqual({ limit: 5 });
  });

  it("reads a repeated parameter as a comma-separated list", () => {
    expect(parseQuery(request("?operator=a&operator=b"), schema)).toEqual({ operator: "a,b" });
  });

  it("refuses an unknown parameter by name", () => {
    expect(() => parseQuery(request("?limt=5"), schema)).toThrow("unknown parameter 'limt'; expected limit, operator");
  });

  it("names the parameter whose value is wrong", () => {
    expect(() => parseQuery(request("?limit=-2"), schema)).toThrow(/^limit: /);
  });
});

describe("parseJsonBody", () => {
  const post = (body: string, type = "application/json") =>
    new Request("http://localhost/api/x", { method: "POST", body, headers: { "content-type": type } });
  const bodySchema = z.object({ name: z.string().min(1) });

  it("parses a valid body", async () => {
    await expect(parseJsonBody(post('{"name":"wall"}'), bodySchema)).resolves.toEqual({ name: "wall" });
  });

  it("refuses a body that is not JSON, not declared JSON, too large or invalid", async () => {
    await expect(parseJsonBody(post("{"), bodySchema)).rejects.toMatchObject({ code: "bad_request" });
    await expect(parseJsonBody(post('{"name":"x"}', "text/plain"), bodySchema)).rejects.toMatchObject({ code: "unsupported_media_type" });
    await expect(parseJsonBody(post(JSON.stringify({ name: "x".repeat(70_000) })), bodySchema)).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(parseJsonBody(post('{"name":""}'), bodySchema)).rejects.toThrow(/^name: /);
  });
});

describe("handle", () => {
  it("answers an HttpError with its status and the uniform error body", async () => {
    const route = handle(async () => {
      throw new HttpError("not_found", "no playlist 'lobby'");
    });
    const response = await route(request(""), undefined);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "no playlist 'lobby'" } });
  });

  it("answers an unexpected failure with a 500 instead of throwing, and logs it", async () => {
    const route = handle(async () => {
      throw new TypeError("boom");
    });
    const logs = captureLogs("warn");
    const response = await route(request(""), undefined).finally(logs.stop);
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatch(/ERROR \[http\] request failed method=GET url=\/api\/x error="TypeError: boom/);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("internal");
  });
});
