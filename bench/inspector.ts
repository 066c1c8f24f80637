/**
 * A server process's retained memory, read over its inspector: a benchmark starts the server with
 * `NODE_OPTIONS=--inspect=127.0.0.1:0` (each process, workers included, then listens on a port of
 * its own and prints where), forces two full garbage collections and reads process.memoryUsage().
 * Resident memory measured under load also counts garbage V8 has not collected yet; this is what
 * the connections themselves keep.
 */
import WebSocket from "ws";

/** The inspector option that makes every process of the server (primary and workers) inspectable. */
export const INSPECT_ANY_PORT = "--inspect=127.0.0.1:0";

/** The inspector addresses a server's processes printed ("Debugger listening on ws://…"). */
export function inspectorUrls(output: string): string[] {
  return [...output.matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/g)].map((match) => match[1]!);
}

export interface RetainedMemory {
  rss: number;
  heapUsed: number;
}

async function afterFullGc(url: string): Promise<RetainedMemory> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    // Two: objects with finalizers or weak references are freed by the second.
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    const answer = (await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as { result: { value: string } };
    const usage = JSON.parse(answer.result.value) as NodeJS.MemoryUsage;
    return { rss: usage.rss, heapUsed: usage.heapUsed };
  } finally {
    socket.close();
  }
}

/** The summed retained memory of the processes listening at `urls`. */
export async function retainedMemory(urls: readonly string[]): Promise<RetainedMemory> {
  const each = await Promise.all(urls.map(afterFullGc));
  return each.reduce((sum, memory) => ({ rss: sum.rss + memory.rss, heapUsed: sum.heapUsed + memory.heapUsed }), { rss: 0, heapUsed: 0 });
}
