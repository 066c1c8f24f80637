import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { Baseline } from "@/lib/contracts/baselines";
import {
  ANNUAL_GROWTH_PCT,
  CHINA_CONNECTIONS_2013_MILLIONS,
  OPERATOR_SHARE_PCT,
  SECTOR_SHARE_PCT,
} from "./assumptions";

/** The shape of prisma/seed/report-figures.json: every figure the seed article states. */
export interface ReportFigures {
  source: { report: string; article: string };
  operators: { slug: string; name: string; nameZh: string; note?: string }[];
  verticals: { slug: string; name: string; nameZh: string; note?: string }[];
  globalShareOfConnectionsByRegion2013Pct: Record<string, number | string>;
  asia2013: { shareOfGlobalPct: number; connectionsOverMillions: number; note: string };
  netAdditions2010to2013Millions: Record<string, number | string>;
  energy: {
    smartMetersInstalledMillions: number;
    smartMetersBeingDeployedMillions: number;
    attribution: string;
    note: string;
  };
  transport: { etcProvinces: number; etcLanes: number; etcDriversMillions: number; attribution: string };
  smartCity: { citiesSignedUp: number; asOf: string };
}

export const REPORT_SOURCE = "GSMA, How China is Set for Global M2M Leadership (2014)";
export const ASSUMPTION_SOURCE = "M2M Pulse modelling assumption (not in the report)";

const slugify = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");

function numericEntries(record: Record<string, number | string>): [string, number][] {
  return Object.entries(record).filter((entry): entry is [string, number] => typeof entry[1] === "number");
}

function reported(
  fields: Pick<Baseline, "key" | "metric" | "label" | "value" | "unit" | "period" | "scope"> &
    Partial<Pick<Baseline, "sector" | "attribution" | "note" | "caveat">>,
): Baseline {
  return {
    operator: null,
    sector: null,
    attribution: null,
    note: null,
    caveat: null,
    ...fields,
    provenance: "reported",
    source: REPORT_SOURCE,
  };
}

function assumed(
  fields: Pick<Baseline, "key" | "metric" | "label" | "value" | "unit" | "period" | "scope" | "note"> &
    Partial<Pick<Baseline, "operator" | "sector">>,
): Baseline {
  return {
    operator: null,
    sector: null,
    attribution: null,
    caveat: null,
    ...fields,
    provenance: "assumption",
    source: ASSUMPTION_SOURCE,
  };
}

/**
 * Turns the report's figures into baselines. The article contradicts itself twice and both
 * sides are kept, each with a caveat naming the other, rather than picking one silently.
 */
export function buildReportBaselines(figures: ReportFigures): Baseline[] {
  const shares = figures.globalShareOfConnectionsByRegion2013Pct;
  const asia = figures.asia2013;
  const additions = figures.netAdditions2010to2013Millions;
  const asiaAdded = typeof additions.Asia === "number" ? additions.Asia : undefined;

  const shareCaveat =
    `The same article also says Asia has ${asia.shareOfGlobalPct}% of global connections ` +
    `(over ${asia.connectionsOverMillions} million); both cannot be true.`;

  const regionShares = numericEntries(shares).map(([region, pct]) =>
    reported({
      key: `global-share-2013.${slugify(region)}`,
      metric: "global-connection-share",
      label: `${region} share of global M2M connections`,
      value: pct,
      unit: "percent",
      period: "2013",
      scope: region,
      caveat: region === "Asia" ? shareCaveat : null,
    }),
  );

  const asiaStated = [
    reported({
      key: "asia-2013.share",
      metric: "asia-stated-share",
      label: "Asia share of global M2M connections (stated separately)",
      value: asia.shareOfGlobalPct,
      unit: "percent",
      period: "2013",
      scope: "Asia",
      caveat: `Contradicts the regional breakdown in the same article, which gives Asia ${shares.Asia}%.`,
    }),
    reported({
      key: "asia-2013.connections",
      metric: "asia-connections",
      label: "Asia M2M connections",
      value: asia.connectionsOverMillions,
      unit: "million connections",
      period: "2013",
      scope: "Asia",
      note: "stated as 'over 50 million'",
      caveat:
        asiaAdded !== undefined && asiaAdded > asia.connectionsOverMillions
          ? `The article also says Asia added ${asiaAdded} million net connections in 2010-2013, more than this total.`
          : null,
    }),
  ];

  const netAdditions = numericEntries(additions).map(([region, millions]) =>
    reported({
      key: `net-additions-2010-2013.${slugify(region)}`,
      metric: "net-additions",
      label: `${region} M2M net additions`,
      value: millions,
      unit: "million connections",
      period: "2010-2013",
      scope: region,
      note: region === "China" ? "'almost 39 million'; the primary driver of Asia's growth" : null,
    }),
  );

  const sectorFacts = [
    reported({
      key: "energy.smart-meters-installed",
      metric: "smart-meters-installed",
      label: "Smart meters installed",
      value: figures.energy.smartMetersInstalledMillions,
      unit: "million meters",
      period: "2013",
      scope: "China",
      sector: "energy",
      attribution: figures.energy.attribution,
      note: figures.energy.note,
    }),
    reported({
      key: "energy.smart-meters-deploying",
      metric: "smart-meters-deploying",
      label: "Smart meters being deployed",
      value: figures.energy.smartMetersBeingDeployedMillions,
      unit: "million meters",
      period: "2013",
      scope: "China",
      sector: "energy",
      attribution: figures.energy.attribution,
    }),
    reported({
      key: "transport.etc-lanes",
      metric: "etc-lanes",
      label: "Electronic toll collection lanes",
      value: figures.transport.etcLanes,
      unit: "lanes",
      period: "2013",
      scope: "China",
      sector: "transport",
      attribution: figures.transport.attribution,
      note: `in ${figures.transport.etcProvinces} provinces`,
    }),
    reported({
      key: "transport.etc-provinces",
      metric: "etc-provinces",
      label: "Provinces with electronic toll collection",
      value: figures.transport.etcProvinces,
      unit: "provinces",
      period: "2013",
      scope: "China",
      sector: "transport",
      attribution: figures.transport.attribution,
    }),
    reported({
      key: "transport.etc-drivers",
      metric: "etc-drivers",
      label: "Drivers using electronic toll collection",
      value: figures.transport.etcDriversMillions,
      unit: "million drivers",
      period: "2013",
      scope: "China",
      sector: "transport",
      attribution: figures.transport.attribution,
    }),
    reported({
      key: "smart-city.cities-signed-up",
      metric: "smart-cities",
      label: "Cities signed up for smart city initiatives",
      value: figures.smartCity.citiesSignedUp,
      unit: "cities",
      period: figures.smartCity.asOf,
      scope: "China",
      sector: "smart-city",
    }),
  ];

  const assumptions = [
    assumed({
      key: "assumption.china-connections-2013",
      metric: "china-connections",
      label: "China M2M connections",
      value: CHINA_CONNECTIONS_2013_MILLIONS.value,
      unit: "million connections",
      period: "2013",
      scope: "China",
      note: CHINA_CONNECTIONS_2013_MILLIONS.reasoning,
    }),
    assumed({
      key: "assumption.annual-growth",
      metric: "annual-growth",
      label: "Annual growth of China's M2M connections",
      value: ANNUAL_GROWTH_PCT.value,
      unit: "percent per year",
      period: "from 2013",
      scope: "China",
      note: ANNUAL_GROWTH_PCT.reasoning,
    }),
    ...OPERATOR_SLUGS.map((operator: OperatorSlug) =>
      assumed({
        key: `assumption.operator-share.${operator}`,
        metric: "operator-share",
        label: "Share of China's M2M connections",
        value: OPERATOR_SHARE_PCT.value[operator],
        unit: "percent",
        period: "2013",
        scope: "China",
        operator,
        note: OPERATOR_SHARE_PCT.reasoning,
      }),
    ),
    ...SECTOR_SLUGS.map((sector: SectorSlug) =>
      assumed({
        key: `assumption.sector-share.${sector}`,
        metric: "sector-share",
        label: "Share of China's M2M connections",
        value: SECTOR_SHARE_PCT.value[sector],
        unit: "percent",
        period: "2013",
        scope: "China",
        sector,
        note: SECTOR_SHARE_PCT.reasoning,
      }),
    ),
  ];

  return [...regionShares, ...asiaStated, ...netAdditions, ...sectorFacts, ...assumptions];
}
