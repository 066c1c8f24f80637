import { describe, expect, it } from "vitest";
import { connectClusterTransport } from "./transport";

describe("connectClusterTransport", () => {
  it("keeps one process on its own without REDIS_URL outside node:cluster, as before clustering", async () => {
    const transport = await connectClusterTransport({ clusterName: "m2m-pulse", isWorker: false });
    expect(transport.kind).toBe("none");
    expect(transport.redisStatus()).toBeNull();
  });

  it("talks over node:cluster's IPC as a worker without REDIS_URL", async () => {
    const transport = await connectClusterTransport({ clusterName: "m2m-pulse", isWorker: true });
    expect(transport.kind).toBe("node-cluster");
    expect(transport.redisStatus()).toBeNull();
  });
});
