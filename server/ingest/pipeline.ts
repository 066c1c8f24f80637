import type { IngestAnswer, SampleSource, StoredSample } from "@/lib/contracts/ingest";
import { MAX_REPORTED_REFUSALS, type CheckedBatch, type IngestClock } from "@/lib/domain/ingest/samples";
import { storeSamples } from "@/lib/db/samples";
import { getEnv } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { getRealtime } from "@/server/realtime/registry";

/**
 * The one pipeline every way in (JSON, line protocol, MQTT) ends in: checked samples are stored
 * in one transaction, and only once that has committed are they handed to the live stream and
 * acknowledged. A sample the stream shows is therefore always one a restart will find again.
 */

/**
 * The clock samples are judged against: the live stream's current instant when it runs in this
 * process, else the wall clock. At SIM_SPEED=1 the two agree; at any other speed ingest is in
 * simulated time, so a feed must be stamped in it (the replay tool restamps its feed to "now").
 */
export function ingestClock(): IngestClock {
  const env = getEnv();
  return {
    nowMs: getRealtime()?.currentInstant() ?? Date.now(),
    lateWindowMs: env.INGEST_LATE_WINDOW_MINUTES * 60_000,
    maxSkewMs: env.INGEST_MAX_SKEW_SECONDS * 1000,
  };
}

export interface IngestOutcome {
  stored: StoredSample[];
  /** Repeats within the batch plus samples already stored. */
  duplicates: number;
}

/**
 * Stores a checked batch durably, then hands what was new to the live stream. `refused` counts the
 * items the check refused (for /metrics; they are not stored).
 */
export async function ingestSamples(
  batch: Pick<CheckedBatch, "samples" | "duplicates"> & { refused: number | readonly unknown[] },
  source: SampleSource,
): Promise<IngestOutcome> {
  // The receipt is real time, taken from the stream so that it falls inside the newest tick's
  // interval: the stream revises that tick to show the samples, and a restart's refill shows them
  // from the same tick. It stays open until they are handed over, so the next tick waits (briefly)
  // for a commit that straddles it rather than leave them out of the tick their stamp names.
  const realtime = getRealtime();
  const receipt = realtime?.openReceipt();
  const receivedAtMs = receipt?.receivedAtMs ?? Date.now();
  const samples: StoredSample[] = batch.samples.map((sample) => ({ ...sample, receivedAtMs, source }));
  let result: Awaited<ReturnType<typeof storeSamples>>;
  try {
    result = await storeSamples(samples);
    // After the commit, never before: the stream must not show what a crash could still lose.
    if (result.stored.length > 0) realtime?.acceptMeasured(result.stored);
  } finally {
    receipt?.close();
  }
  const outcome = { stored: result.stored, duplicates: batch.duplicates + result.duplicates };
  const refused = typeof batch.refused === "number" ? batch.refused : batch.refused.length;
  metrics.ingestSamples.inc({ source, outcome: "accepted" }, outcome.stored.length);
  metrics.ingestSamples.inc({ source, outcome: "duplicate" }, outcome.duplicates);
  metrics.ingestSamples.inc({ source, outcome: "refused" }, refused);
  return outcome;
}

/** The 202's body for a batch that was checked and stored. */
export function ingestAnswer(batch: CheckedBatch, outcome: IngestOutcome): IngestAnswer {
  return {
    accepted: outcome.stored.length,
    duplicate: outcome.duplicates,
    refused: batch.refused.length,
    errors: batch.refused.slice(0, MAX_REPORTED_REFUSALS),
  };
}
