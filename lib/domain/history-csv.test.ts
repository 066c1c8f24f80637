import { describe, expect, it } from "vitest";
import type { HistoryResponse } from "@/lib/contracts/history";
import { MESSAGES } from "@/lib/i18n/messages";
import { chinaIsoTime, historyCsv } from "./history-csv";

const history: HistoryResponse = {
  from: "2026-11-25T08:00:00.000Z",
  to: "2026-11-25T08:02:00.000Z",
  resolutionSeconds: 60,
  provenance: "simulated",
  buckets: [Date.UTC(2026, 10, 25, 8, 0), Date.UTC(2026, 10, 25, 8, 1)],
  series: [{ operator: "china-mobile", sector: "energy", provenance: "simulated", mean: [100, null], min: [90, null], max: [110, null] }],
};

describe("history as CSV", () => {
  it("writes China's time with its offset", () => {
    expect(chinaIsoTime(Date.UTC(2026, 10, 25, 20, 30))).toBe("2026-11-26T04:30:00+08:00");
  });

  it("has one row per series and bucket, a provenance column, and headers in the language asked", () => {
    const rows = historyCsv(history, MESSAGES.en.exports.csvHeaders).trimEnd().split("\r\n");
    expect(rows).toEqual([
      "time,operator,sector,mean,min,max,provenance",
      "2026-11-25T16:00:00+08:00,china-mobile,energy,100,90,110,simulated",
      "2026-11-25T16:01:00+08:00,china-mobile,energy,,,,simulated",
    ]);
    expect(historyCsv(history, MESSAGES.zh.exports.csvHeaders).split("\r\n")[0]).toBe("时间,运营商,行业,平均值,最小值,最大值,数据来源");
  });

  it("gives each series its own provenance", () => {
    const measured: HistoryResponse = { ...history, provenance: "mixed", series: [{ ...history.series[0]!, provenance: "measured" }] };
    expect(historyCsv(measured, MESSAGES.en.exports.csvHeaders).split("\r\n")[1]).toMatch(/,measured$/);
  });
});
