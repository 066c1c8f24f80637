import { describe, expect, it } from "vitest";
import { captureLogs } from "@/lib/logger";
import { Lifecycle } from "./lifecycle";

describe("Lifecycle", () => {
  it("runs shutdown steps in reverse order of registration, once, even when one fails", async () => {
    const lifecycle = new Lifecycle();
    const ran: string[] = [];
    lifecycle.onShutdown("embedded postgres", () => void ran.push("embedded postgres"));
    lifecycle.onShutdown("database", () => {
      ran.push("database");
      throw new Error("already closed");
    });
    lifecycle.onShutdown("http", async () => void ran.push("http"));

    const logs = captureLogs("warn");
    await Promise.all([lifecycle.shutdown("SIGTERM"), lifecycle.shutdown("SIGINT")]).finally(logs.stop);
    expect(ran).toEqual(["http", "database", "embedded postgres"]);
    expect(logs.lines.filter((line) => line.includes("ERROR [lifecycle] shutdown step failed step=database"))).toHaveLength(1);
    expect(lifecycle.isStopping).toBe(true);
  });
});
