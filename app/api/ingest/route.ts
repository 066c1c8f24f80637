import { z } from "zod";
import { checkJsonBatch } from "@/lib/domain/ingest/json-batch";
import { MAX_SAMPLES_PER_BATCH } from "@/lib/domain/ingest/samples";
import { HttpError, handle, parseJsonBody, respond } from "@/lib/http/respond";
import { MAX_INGEST_BODY_BYTES, checkKeyScope, withIngestKey } from "@/server/ingest/http";
import { ingestAnswer, ingestClock, ingestSamples } from "@/server/ingest/pipeline";

export const dynamic = "force-dynamic";

// Items are checked one by one (each refusal gets its index), so the body schema only frames them.
const batchSchema = z.object({ samples: z.array(z.unknown(), { error: "expected { samples: [ … ] }" }) }, { error: "expected { samples: [ … ] }" });

/**
 * Measured samples as JSON, with an ingest key: 202 once the batch is committed, with counts and a
 * reason per refused item; a refused item is skipped, the valid ones are stored.
 */
export const POST = handle(
  withIngestKey(async (request, key) => {
    const { samples } = await parseJsonBody(request, batchSchema, { limit: MAX_INGEST_BODY_BYTES });
    if (samples.length > MAX_SAMPLES_PER_BATCH) throw new HttpError("payload_too_large", `a batch holds at most ${MAX_SAMPLES_PER_BATCH} samples (got ${samples.length}); split it`);
    if (samples.length === 0) throw new HttpError("bad_request", "samples is empty: expected at least one sample");
    const clock = ingestClock();
    const batch = checkJsonBatch(samples, clock);
    checkKeyScope(key, batch);
    return respond(ingestAnswer(batch, await ingestSamples(batch, "http")), { status: 202 });
  }),
);
