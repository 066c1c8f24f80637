import { describe, expect, it } from "vitest";
import { isClusterMode, serverMode } from "./mode";

describe("serverMode", () => {
  it("is standalone without REDIS_URL in a process of its own", () => {
    expect(serverMode({ REDIS_URL: undefined }, false)).toBe("standalone");
    expect(isClusterMode({ REDIS_URL: undefined }, false)).toBe(false);
  });

  it("is cluster with REDIS_URL, or in a node:cluster worker", () => {
    expect(serverMode({ REDIS_URL: "redis://127.0.0.1:6379" }, false)).toBe("cluster");
    expect(serverMode({ REDIS_URL: undefined }, true)).toBe("cluster");
    expect(isClusterMode({ REDIS_URL: "redis://127.0.0.1:6379" }, true)).toBe(true);
  });
});
