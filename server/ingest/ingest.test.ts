import { describe, expect, it } from "vitest";
import { ingestSecretOf } from "./http";
import { defaultMqttClientId, redactedBrokerUrl } from "./mqtt";

describe("ingestSecretOf", () => {
  it("takes the key from Bearer (curl, Grafana, the replay tool) or Token (Telegraf, Influx clients), any case", () => {
    expect(ingestSecretOf("Bearer pulse_ik_abc")).toBe("pulse_ik_abc");
    expect(ingestSecretOf("token pulse_ik_abc")).toBe("pulse_ik_abc");
    expect(ingestSecretOf("  TOKEN   pulse_ik_abc  ")).toBe("pulse_ik_abc");
  });

  it("finds no key in anything else", () => {
    for (const header of [null, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", `Bearer ${"x".repeat(201)}`]) expect(ingestSecretOf(header)).toBeNull();
  });
});

describe("MQTT settings as logged", () => {
  it("never shows the broker credentials", () => {
    expect(redactedBrokerUrl("mqtts://pulse:s3cret@broker.example:8883/")).toBe("mqtts://broker.example:8883/");
    expect(redactedBrokerUrl("not a url")).toBe("(unparseable URL)");
  });

  it("derives a client id that a restart of the same deployment repeats", () => {
    expect(defaultMqttClientId(3000)).toBe(defaultMqttClientId(3000));
    expect(defaultMqttClientId(3000)).toMatch(/^m2m-pulse-[A-Za-z0-9_.-]+-3000$/);
    // Cluster nodes share one id (one subscriber per cluster, the lease holder), whatever their host and port.
    expect(defaultMqttClientId(3000, "cluster")).toBe(defaultMqttClientId(4000, "cluster"));
  });
});
