import { describe, expect, it } from "vitest";
import { z } from "zod";
import { captureLogs } from "@/lib/logger";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { HttpError, handle, isJsonMediaType, parseJsonBody, parseQuery, respondNoContent } from "./respond";

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
    await expect(parseJsonBody(post('{"name":"x"}', "text/plain; a=application/json"), bodySchema)).rejects.toMatchObject({ code: "unsupported_media_type" });
    await expect(parseJsonBody(post(JSON.stringify({ name: "x".repeat(70_000) })), bodySchema)).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(parseJsonBody(post('{"name":""}'), bodySchema)).rejects.toThrow(/^name: /);
  });
});

describe("isJsonMediaType", () => {
  it("takes application/json exactly, in any case, with at most charset=utf-8", () => {
    for (const type of ["application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json;charset="UTF-8"']) {
      expect(isJsonMediaType(type), type).toBe(true);
    }
  });

  it("refuses a type that only mentions JSON", () => {
    for (const type of ["text/plain; a=application/json", "text/plain;application/json", "application/jsonx", "application/json-patch+json", "application/json; charset=latin1", "application/json; boundary=x", "", null]) {
      expect(isJsonMediaType(type), String(type)).toBe(false);
    }
  });
});

describe("parseJsonBody on a streamed body", () => {
  /** A body of `chunks` 16 KiB chunks with no content-length, made as it is read; counts what was pulled. */
  function streamed(chunks: number) {
    const pulled = { count: 0 };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.count === chunks) return controller.close();
        pulled.count++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const request = new Request("http://localhost/api/x", { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit);
    return { request, pulled };
  }

  it("stops reading with a 413 as soon as the body passes the limit, whatever its framing", async () => {
    const { request, pulled } = streamed(20_000);
    await expect(parseJsonBody(request, z.unknown())).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulled.count).toBeLessThanOrEqual(6);
  });

  it("takes a route's own limit", async () => {
    const { request } = streamed(2);
    await expect(parseJsonBody(request, z.unknown(), { limit: 16 * 1024 })).rejects.toMatchObject({ code: "payload_too_large" });
  });

  it("refuses a body that is not UTF-8", async () => {
    const request = new Request("http://localhost/api/x", { method: "POST", body: new Uint8Array([0x22, 0xff, 0x22]), headers: { "content-type": "application/json" } });
    await expect(parseJsonBody(request, z.unknown())).rejects.toMatchObject({ code: "bad_request" });
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

  it("answers an unreachable database with a 503", async () => {
    const route = handle(async () => {
      throw Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" });
    });
    const response = await route(request(""), undefined);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unavailable");
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

describe("respondNoContent", () => {
  it("answers 204 with no body and no-store, keeping the caller's headers", async () => {
    const response = respondNoContent({ headers: { "set-cookie": "pulse_session=; Max-Age=0" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toBe("pulse_session=; Max-Age=0");
    expect(await response.text()).toBe("");
  });
});

describe("route handlers", () => {
  // Every answer goes through this module, so none loses the no-store header.
  it("never build a Response of their own", () => {
    const routes = readdirSync(path.resolve("app/api"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith("route.ts"));
    expect(routes.length).toBeGreaterThan(5);
    const bypassing = routes.filter((file) => /new Response\(|Response\.json\(|NextResponse/.test(readFileSync(path.join("app/api", file), "utf8")));
    expect(bypassing).toEqual([]);
  });
});
