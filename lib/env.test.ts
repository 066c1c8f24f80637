import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    expect(parseEnv({})).toMatchObject({
      NODE_ENV: "production",
      PORT: 3000,
      HOST: "0.0.0.0",
      PULSE_DATA_DIR: ".data",
      LOG_LEVEL: "info",
    });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it("treats an empty variable as unset", () => {
    const env = parseEnv({ PORT: "", DATABASE_URL: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("stops on a bad value with a message that names the variable and the value", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT: .*\(got 'eighty'\)/);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT: expected a port between 0 and 65535/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: expected a postgres:\/\//);
  });

  it("names the cluster in Redis m2m-pulse unless PULSE_CLUSTER says otherwise, and refuses a name that would not be a clean key prefix", () => {
    expect(parseEnv({}).PULSE_CLUSTER).toBe("m2m-pulse");
    expect(parseEnv({ PULSE_CLUSTER: "noc-beijing.2" }).PULSE_CLUSTER).toBe("noc-beijing.2");
    expect(() => parseEnv({ PULSE_CLUSTER: "a b" })).toThrow(/PULSE_CLUSTER: expected 1–64 letters/);
    expect(() => parseEnv({ PULSE_CLUSTER: "x:y" })).toThrow(/PULSE_CLUSTER/);
  });

  it("reports every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "-1", LOG_LEVEL: "loud" })).toThrow(/PORT: .*; LOG_LEVEL: /);
  });

  it("reads the sign-in and trust-proxy switches", () => {
    // Sign-in on needs no password any more: the first admin's is generated when none is given.
    expect(parseEnv({ PULSE_AUTH: "on" }).PULSE_AUTH).toBe("on");
    expect(parseEnv({ PULSE_AUTH: "on", PULSE_ADMIN_PASSWORD: "correct horse" }).PULSE_ADMIN_PASSWORD).toBe("correct horse");
    expect(parseEnv({}).PULSE_TRUST_PROXY).toBe(false);
    expect(parseEnv({ PULSE_TRUST_PROXY: "1" }).PULSE_TRUST_PROXY).toBe(true);
    expect(() => parseEnv({ PULSE_TRUST_PROXY: "yes" })).toThrow("PULSE_TRUST_PROXY: expected 0 or 1");
    expect(() => parseEnv({ PULSE_AUTH: "yes" })).toThrow(/PULSE_AUTH: expected on or off/);
  });

  it("bounds sockets per address and unsent bytes per socket, with caps that can be raised", () => {
    expect(parseEnv({})).toMatchObject({
      SOCKET_CONNECTIONS_PER_ADDRESS: 300,
      SOCKET_CONNECTS_PER_ADDRESS_PER_MINUTE: 600,
      SOCKET_SUBSCRIPTIONS_PER_ADDRESS_PER_MINUTE: 1_200,
      SOCKET_SEND_BUFFER_SOFT_BYTES: 262_144,
      SOCKET_SEND_BUFFER_HARD_BYTES: 524_288,
      SOCKET_LAG_TIMEOUT_MS: 30_000,
    });
    expect(parseEnv({ SOCKET_CONNECTIONS_PER_ADDRESS: "2000" }).SOCKET_CONNECTIONS_PER_ADDRESS).toBe(2000);
    expect(() => parseEnv({ SOCKET_CONNECTIONS_PER_ADDRESS: "0" })).toThrow(/SOCKET_CONNECTIONS_PER_ADDRESS: expected at least 1/);
    expect(() => parseEnv({ SOCKET_SEND_BUFFER_SOFT_BYTES: "2000000" })).toThrow(/SOCKET_SEND_BUFFER_HARD_BYTES: expected more than SOCKET_SEND_BUFFER_SOFT_BYTES/);
  });

  it("reads the Host allow-list and who may frame walls, refusing what is not a host or a CSP source", () => {
    expect(parseEnv({ PULSE_ALLOWED_HOSTS: "Pulse.Example.com, kiosk.example.net:8443,[fd00::1]" }).PULSE_ALLOWED_HOSTS).toEqual(["pulse.example.com", "kiosk.example.net:8443", "[fd00::1]"]);
    expect(parseEnv({}).PULSE_ALLOWED_HOSTS).toEqual([]);
    expect(() => parseEnv({ PULSE_ALLOWED_HOSTS: "http://pulse.example.com/" })).toThrow(/PULSE_ALLOWED_HOSTS: expected host names/);
    expect(parseEnv({ PULSE_FRAME_ANCESTORS: "https://signage.example.com 'self'" }).PULSE_FRAME_ANCESTORS).toEqual(["https://signage.example.com", "'self'"]);
    expect(parseEnv({}).PULSE_FRAME_ANCESTORS).toBeUndefined();
    expect(() => parseEnv({ PULSE_FRAME_ANCESTORS: "https://x.example; script-src *" })).toThrow(/PULSE_FRAME_ANCESTORS: expected CSP sources/);
  });
});

describe("secrets in configuration errors", () => {
  it("names a bad METRICS_TOKEN or PULSE_ADMIN_PASSWORD without repeating its value", () => {
    expect(() => parseEnv({ METRICS_TOKEN: "short-secret" })).toThrow(/METRICS_TOKEN: expected at least 16 characters$/);
    expect(() => parseEnv({ METRICS_TOKEN: "short-secret" })).not.toThrow(/short-secret/);
    expect(() => parseEnv({ PULSE_ADMIN_PASSWORD: "tiny" })).not.toThrow(/tiny/);
    expect(parseEnv({ METRICS_TOKEN: "a-long-enough-metrics-token" }).METRICS_TOKEN).toBe("a-long-enough-metrics-token");
  });

  it("reads LOG_FORMAT as json or pretty, unset by default", () => {
    expect(parseEnv({}).LOG_FORMAT).toBeUndefined();
    expect(parseEnv({ LOG_FORMAT: "pretty" }).LOG_FORMAT).toBe("pretty");
    expect(() => parseEnv({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT: expected json or pretty/);
  });
});
