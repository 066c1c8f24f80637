import { afterEach, describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/respond";
import { registerRealtime, requireRealtime, type RealtimeHandle } from "./registry";

afterEach(() => registerRealtime(undefined));

describe("requireRealtime", () => {
  it("answers 503 'unavailable' naming the live stream when none runs in this process", () => {
    registerRealtime(undefined);
    let thrown: unknown;
    try {
      requireRealtime();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ code: "unavailable", message: "the live stream is not running in this process" });
  });

  it("returns the running stream", () => {
    const handle = { info: { buildId: "test" } } as unknown as RealtimeHandle;
    registerRealtime(handle);
    expect(requireRealtime()).toBe(handle);
  });
});
