import { describe, expect, it } from "vitest";
import { acceptableRequestId, captureLogs, createLogger, scrubSecrets, withRequestId } from "./logger";

const log = createLogger("test");

function logged(write: () => void): string {
  const logs = captureLogs("debug");
  try {
    write();
  } finally {
    logs.stop();
  }
  return logs.lines.join("");
}

describe("the logger", () => {
  it("redacts secret fields by name, at the top level and one level down", () => {
    const line = logged(() =>
      log.warn("signing in", { username: "ops", password: "hunter2-hunter2", session: { token: "tok-123456" }, headers: { authorization: "Bearer abc", cookie: "pulse_session=xyz" } }),
    );
    expect(line).toContain("username=ops");
    for (const secret of ["hunter2-hunter2", "tok-123456", "abc", "xyz"]) expect(line).not.toContain(secret);
    expect(line).toContain("[redacted]");
  });

  it("scrubs values shaped like cookies, wall-URL tokens and bearer tokens from anywhere in a line", () => {
    const line = logged(() =>
      log.error("request failed for /wall/lobby?token=d1spl4y-s3cret&x=1 with pulse_display=c00kie-v4lue", { error: "Authorization: Bearer m3trics-t0ken was refused" }),
    );
    for (const secret of ["d1spl4y-s3cret", "c00kie-v4lue", "m3trics-t0ken"]) expect(line).not.toContain(secret);
    expect(line).toContain("x=1");
    expect(scrubSecrets("cookie: pulse_session=abc; theme=dark")).toBe("cookie: pulse_session=[redacted]; theme=dark");
  });

  it("puts the request id on every line written while the request is handled, awaited work included", async () => {
    const logs = captureLogs("info");
    await withRequestId("req-7", async () => {
      log.info("before");
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.info("after");
    });
    log.info("outside");
    logs.stop();
    expect(logs.lines.filter((line) => line.includes("requestId=req-7"))).toHaveLength(2);
    expect(logs.lines.find((line) => line.includes("outside"))).not.toContain("requestId");
  });

  it("accepts a client's request id only when it is short and plain", () => {
    expect(acceptableRequestId("abc-123_x.y:z")).toBe("abc-123_x.y:z");
    expect(acceptableRequestId(["first", "second"])).toBe("first");
    expect(acceptableRequestId(undefined)).toBeNull();
    expect(acceptableRequestId("")).toBeNull();
    expect(acceptableRequestId("x".repeat(65))).toBeNull();
    expect(acceptableRequestId("a b")).toBeNull();
    expect(acceptableRequestId("a\nlevel=error")).toBeNull();
  });

  it("keeps captured lines below the capture's level out", () => {
    const logs = captureLogs("warn");
    log.info("quiet");
    log.warn("loud", { n: 1 });
    logs.stop();
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatch(/ WARN  \[test\] loud n=1\n$/);
  });
});
