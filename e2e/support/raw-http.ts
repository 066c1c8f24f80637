import { connect } from "node:net";
import type { Readable } from "node:stream";

export interface RawAnswer {
  status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/** Decodes a chunked body; undefined until the last chunk has arrived. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  while (true) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString(), 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * One HTTP/1.1 request written byte for byte on its own connection, so a test controls what
 * goes on the wire (any Host, method or unescaped path; a body streamed as it is made) and still
 * reads an answer that the server sends before the body is through. Node's http client loses such
 * an answer when its own write fails first; browsers and curl read it, and so does this.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer | Readable; timeoutMs?: number },
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { host: url.host, ...options.headers };
  const body = options.body;
  const fixed = typeof body === "string" ? Buffer.from(body) : Buffer.isBuffer(body) ? body : undefined;
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  if (fixed && !names.includes("content-length") && !names.includes("transfer-encoding")) headers["content-length"] = String(fixed.length);
  const chunked = (headers["transfer-encoding"] ?? "").toLowerCase() === "chunked";
  const head = `${method} ${options.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;

  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 80), url.hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    let stopSending = false;
    const timer = setTimeout(() => finish(new Error(`no answer to ${method} ${options.path.slice(0, 80)} within ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);

    /** The answer, once it is complete; undefined while more is to come. */
    const parse = (atClose: boolean): RawAnswer | undefined => {
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd < 0) return undefined;
      const lines = received.subarray(0, headEnd).toString("latin1").split("\r\n");
      const status = Number(lines[0]!.split(" ")[1]);
      // Interim answers (100 Continue) are skipped.
      if (status >= 100 && status < 200) {
        received = received.subarray(headEnd + 4);
        return parse(atClose);
      }
      const answerHeaders: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        answerHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = received.subarray(headEnd + 4);
      let content: Buffer | undefined;
      if (method === "HEAD" || status === 204 || status === 304) content = Buffer.alloc(0);
      else if (answerHeaders["transfer-encoding"]?.toLowerCase() === "chunked") content = dechunk(rest) ?? (atClose ? rest : undefined);
      else if (answerHeaders["content-length"] !== undefined) {
        const length = Number(answerHeaders["content-length"]);
        content = rest.length >= length ? rest.subarray(0, length) : atClose ? rest : undefined;
      } else content = atClose ? rest : undefined;
      return content === undefined ? undefined : { status, headers: answerHeaders, body: content.toString() };
    };

    function finish(error?: Error, answer?: RawAnswer) {
      if (settled) return;
      settled = true;
      stopSending = true;
      clearTimeout(timer);
      if (body && typeof body !== "string" && !Buffer.isBuffer(body)) body.destroy();
      socket.destroy();
      if (answer) resolve(answer);
      else reject(error ?? new Error("the connection closed without an answer"));
    }

    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parse(false);
      if (answer) finish(undefined, answer);
    });
    // A write refused because the server closed after answering is expected; the answer decides.
    socket.on("error", () => {});
    socket.on("close", () => {
      const answer = parse(true);
      finish(answer ? undefined : new Error(`the connection closed without an answer to ${method} ${options.path.slice(0, 80)}`), answer);
    });
    socket.on("connect", () => {
      socket.write(head);
      if (fixed) return void socket.write(fixed);
      if (!body || typeof body === "string" || Buffer.isBuffer(body)) return;
      body.on("data", (piece: Buffer) => {
        if (stopSending || socket.destroyed) return;
        const framed = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
        if (!socket.write(framed)) {
          body.pause();
          socket.once("drain", () => body.resume());
        }
      });
      body.on("end", () => {
        if (!stopSending && !socket.destroyed && chunked) socket.write("0\r\n\r\n");
      });
      body.on("error", () => {});
    });
  });
}

/** Same-origin headers a browser would send, so that Origin checks never stand in a test's way. */
export const sameOrigin = (baseUrl: string) => ({ origin: new URL(baseUrl).origin, "sec-fetch-site": "same-origin" });
