import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";

/**
 * What the product needs that the GSMA report does not say. Each value is stored as an
 * `assumption` baseline with this reasoning beside it, and every figure derived from these
 * (the simulator's levels, the splits on screen) is labelled simulated or assumed.
 */
export interface Assumption<T> {
  value: T;
  reasoning: string;
}

export const CHINA_CONNECTIONS_2013_MILLIONS: Assumption<number> = {
  value: 45,
  reasoning:
    "The report gives no total for China. China added almost 39 million connections in 2010-2013 " +
    "and is the main driver of Asia's 50+ million, so its 2013 base is taken as 45 million " +
    "(the 39 million added plus a few million already connected in 2010).",
};

export const ANNUAL_GROWTH_PCT: Assumption<number> = {
  value: 25,
  reasoning:
    "Almost 39 million added over three years on a base that ended near 45 million is roughly " +
    "25% growth a year; the simulator grows its levels at this rate.",
};

export const OPERATOR_SHARE_PCT: Assumption<Record<OperatorSlug, number>> = {
  value: { "china-mobile": 62, "china-unicom": 21, "china-telecom": 17 },
  reasoning:
    "The report gives no split by operator. China Mobile is the largest operator and the only one " +
    "with a dedicated IoT company, M2M network and number segment, so it is assumed to carry most " +
    "connections; Unicom and Telecom share the rest in rough proportion to their mobile subscriber bases.",
};

export const SECTOR_SHARE_PCT: Assumption<Record<SectorSlug, number>> = {
  value: {
    energy: 30,
    transport: 24,
    "smart-city": 14,
    automotive: 12,
    healthcare: 7,
    education: 6,
    retail: 7,
  },
  reasoning:
    "The report gives no split by sector. Energy and transport drove the early growth (energy is " +
    "the first sector at scale, with 180 million smart meters), so they are assumed largest; smart " +
    "cities (219 signed up) next; automotive, healthcare, education and retail are described as " +
    "gaining traction and share the remainder.",
};
