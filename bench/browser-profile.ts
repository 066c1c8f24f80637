/**
 * npm run bench:browser:profile -- --url http://127.0.0.1:3000 [--path /wall] [--seconds 15] [--throttle 4] [--hide "main"]
 *
 * Where a tick's main-thread time goes, for the figures bench:browser gives: opens `path` of an
 * already running server in headless Chromium (1920×1080, as bench:browser), waits 5 s, then for
 * `seconds` records a Chrome trace (the DevTools timeline categories) and a JS CPU profile over
 * CDP. It prints the page's main thread time by trace event (self time: style recalculation,
 * layout, paint, script, …, per second; wall clock and the thread's CPU time, which a busy machine
 * inflates less), the CPU time of the page's other busy threads (the chart worker, the compositor:
 * on two cores they compete with the main thread), and the JS functions with the most self time,
 * and writes the raw trace and profile to bench/results/runs/ for DevTools. `--hide` takes a CSS
 * selector whose elements are hidden (`display: none`) after the load, to see what a part of the
 * page costs ("main": every panel; "body": nothing drawn, only the ticks received and handed on).
 * A diagnosis tool, not a target: nothing is recorded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { CDPSession } from "@playwright/test";
import { launchChromium, sleep } from "@/test/support/harness";

const { values: options } = parseArgs({
  options: {
    url: { type: "string" },
    path: { type: "string", default: "/" },
    seconds: { type: "string", default: "15" },
    throttle: { type: "string", default: "1" },
    top: { type: "string", default: "25" },
    hide: { type: "string" },
  },
});
if (!options.url) {
  console.error("--url of a running server is required (npm start, or the built server on a port of your own)");
  process.exit(1);
}
const SECONDS = Number(options.seconds);
const THROTTLE = Number(options.throttle);
const TOP = Number(options.top);
if (!(SECONDS > 0) || !(THROTTLE >= 1) || !(TOP > 0)) {
  console.error("--seconds, --throttle (≥ 1) and --top take positive numbers");
  process.exit(1);
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time inside the event (thread clock), where the trace has it. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function recordTrace(cdp: CDPSession, seconds: number): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (message) => events.push(...(message.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink", "cc", "gpu", "toplevel", "disabled-by-default-v8.gc"] },
  });
  await sleep(seconds * 1000);
  await cdp.send("Tracing.end");
  await complete;
  return events;
}

/**
 * Busy time (wall clock and thread CPU) and CPU self time per event name on every thread of the
 * page's renderer (nested complete events subtract from their parent), busiest thread first.
 */
function threadTimes(events: TraceEvent[]) {
  const names = new Map(events.filter((event) => event.ph === "M" && event.name === "thread_name").map((event) => [`${event.pid}:${event.tid}`, event.args?.name ?? "?"]));
  const mainPids = new Set(events.filter((event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain").map((event) => event.pid));
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (!mainPids.has(event.pid) || event.ph !== "X" || event.dur === undefined) continue;
    const key = `${event.pid}:${event.tid}`;
    (byThread.get(key) ?? byThread.set(key, []).get(key)!).push(event);
  }
  return [...byThread.entries()]
    .map(([thread, list]) => {
      list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
      const self = new Map<string, number>();
      const stack: { end: number; name: string }[] = [];
      let busy = 0;
      let busyCpu = 0;
      for (const event of list) {
        while (stack.length && stack.at(-1)!.end <= event.ts) stack.pop();
        const end = event.ts + event.dur!;
        const cpu = event.tdur ?? 0;
        const parent = stack.at(-1);
        if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - cpu);
        else {
          busy += event.dur!;
          busyCpu += cpu;
        }
        self.set(event.name, (self.get(event.name) ?? 0) + cpu);
        stack.push({ end, name: event.name });
      }
      return { name: names.get(thread) ?? thread, busyMs: busy / 1000, cpuMs: busyCpu / 1000, self: [...self.entries()].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms) };
    })
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/** Self time per JS function (name and source position), from the sampled profile. */
function functionSelfTimes(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.split("/").at(-1) ?? "";
    const key = `${frame.functionName || "(anonymous)"} ${file}${file ? `:${frame.lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return [...self.entries()].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
}

async function main() {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (THROTTLE > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
    const url = `${options.url}${options.path}`;
    const response = await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status() ?? "nothing"}`);
    if (options.hide) await page.addStyleTag({ content: `${options.hide} { display: none !important; }` });
    await sleep(5000);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    const trace = await recordTrace(cdp, SECONDS);
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: CpuProfile };

    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const dir = path.join("bench", "results", "runs");
    mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `profile-${options.path.replace(/\W+/g, "_") || "root"}-x${THROTTLE}-${stamp}`);
    writeFileSync(`${base}.trace.json`, JSON.stringify({ traceEvents: trace }));
    writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));

    const perSecond = (ms: number) => (ms / SECONDS).toFixed(2);
    const threads = threadTimes(trace);
    const main = threads.find((thread) => thread.name === "CrRendererMain");
    console.log(`${url}${options.hide ? ` with "${options.hide}" hidden` : ""}, CPU ×${THROTTLE}, ${SECONDS} s; raw trace and profile: ${base}.*`);
    if (main) {
      console.log(`\nmain thread busy ${perSecond(main.busyMs)} ms/s wall clock, ${perSecond(main.cpuMs)} ms/s CPU; CPU self time by trace event (ms/s):`);
      for (const entry of main.self.slice(0, TOP)) console.log(`  ${perSecond(entry.ms).padStart(8)}  ${entry.name}`);
    }
    console.log(`\nthe renderer's other threads, CPU (ms/s): ${threads.filter((thread) => thread !== main && thread.cpuMs / SECONDS >= 0.5).map((thread) => `${thread.name} ${perSecond(thread.cpuMs)}`).join(", ")}`);
    console.log(`\nJS self time by function (ms/s):`);
    for (const entry of functionSelfTimes(profile).slice(0, TOP)) console.log(`  ${perSecond(entry.ms).padStart(8)}  ${entry.name}`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
