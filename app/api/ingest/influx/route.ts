import { z } from "zod";
import { PRECISIONS, checkInfluxLines } from "@/lib/domain/ingest/influx";
import { pointLines } from "@/lib/domain/ingest/line-protocol";
import { MAX_SAMPLES_PER_BATCH } from "@/lib/domain/ingest/samples";
import { HttpError, handle, parseQuery, readBodyBytes, respond } from "@/lib/http/respond";
import { MAX_INGEST_BODY_BYTES, checkKeyScope, withIngestKey } from "@/server/ingest/http";
import { ingestAnswer, ingestClock, ingestSamples } from "@/server/ingest/pipeline";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  precision: z.enum(PRECISIONS, { error: `precision: expected one of ${PRECISIONS.join(", ")}` }).default("ns"),
});

/**
 * Measured samples as InfluxDB line protocol (Telegraf's outputs.http with data_format "influx"),
 * with an ingest key: 202 once committed, with counts and a reason per refused line.
 */
export const POST = handle(
  withIngestKey(async (request, key) => {
    const { precision } = parseQuery(request, querySchema);
    const encoding = request.headers.get("content-encoding");
    if (encoding !== null && encoding.trim().toLowerCase() !== "identity") {
      throw new HttpError("unsupported_media_type", `content-encoding '${encoding.slice(0, 40)}' is not supported; send the body uncompressed (Telegraf: content_encoding = "identity")`);
    }
    const bytes = await readBodyBytes(request, MAX_INGEST_BODY_BYTES);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError("bad_request", "body is not text in UTF-8");
    }
    const lines = pointLines(text);
    if (lines.length > MAX_SAMPLES_PER_BATCH) throw new HttpError("payload_too_large", `a batch holds at most ${MAX_SAMPLES_PER_BATCH} lines (got ${lines.length}); split it`);
    if (lines.length === 0) throw new HttpError("bad_request", "the body has no lines: expected line protocol, e.g. m2m_connections,operator=china-mobile,sector=energy value=9512345i 1795645104000000000");
    const clock = ingestClock();
    const batch = checkInfluxLines(lines, precision, clock);
    checkKeyScope(key, batch);
    return respond(ingestAnswer(batch, await ingestSamples(batch, "influx")), { status: 202 });
  }),
);
