import type { SectorSlug } from "@/lib/contracts/catalog";

/**
 * Daily and weekly shapes of each sector's live connections, as multipliers around 1.
 * Times are China Standard Time (UTC+8, no daylight saving). These are modelling
 * assumptions, chosen to look like what a network engineer sees, not reported figures.
 */
const CST_OFFSET_MS = 8 * 3_600_000;

export interface LocalTime {
  /** Fractional hour of the day, 0 ≤ hour < 24. */
  hour: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Seconds into the current quarter hour (smart meters report on the quarter). */
  secondOfQuarter: number;
}

export function chinaLocalTime(instantMs: number): LocalTime {
  const local = instantMs + CST_OFFSET_MS;
  const dayMs = ((local % 86_400_000) + 86_400_000) % 86_400_000;
  const days = Math.floor(local / 86_400_000);
  // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
  const weekday = (((days + 3) % 7) + 7) % 7;
  return { hour: dayMs / 3_600_000, weekday, secondOfQuarter: (dayMs / 1000) % 900 };
}

/** A bell around `center` o'clock, `width` hours wide, wrapping at midnight. */
function bump(hour: number, center: number, width: number): number {
  const distance = ((((hour - center) % 24) + 36) % 24) - 12;
  return Math.exp(-(distance * distance) / (2 * width * width));
}

/** Close to 1 between `start` and `end` o'clock, close to 0 outside, with soft edges. */
function window(hour: number, start: number, end: number): number {
  const rise = 1 / (1 + Math.exp(-(hour - start) * 3));
  const fall = 1 / (1 + Math.exp(-(end - hour) * 3));
  return rise * fall;
}

const isWeekend = (time: LocalTime) => time.weekday >= 5;

const RHYTHMS: Record<SectorSlug, (time: LocalTime) => number> = {
  // Meters are always connected; many wake within seconds of the quarter hour to report, then go quiet.
  energy: (time) =>
    0.86 + 0.08 * bump(time.hour, 19, 3) + 0.12 * (1 - Math.exp(-time.secondOfQuarter / 4)) * Math.exp(-time.secondOfQuarter / 40),
  // Rush hours on working days; a flatter day at weekends.
  transport: (time) =>
    isWeekend(time)
      ? 0.62 + 0.3 * bump(time.hour, 14, 4)
      : 0.58 + 0.38 * bump(time.hour, 8, 1.1) + 0.42 * bump(time.hour, 18, 1.3) + 0.18 * bump(time.hour, 13, 3.5),
  // Streetlights and sewer sensors: busier at night, with a morning traffic bump.
  "smart-city": (time) => 0.82 + 0.2 * (1 - bump(time.hour, 13, 4.5)) + 0.08 * bump(time.hour, 8, 1.5),
  automotive: (time) =>
    isWeekend(time)
      ? 0.66 + 0.3 * bump(time.hour, 15, 3)
      : 0.6 + 0.3 * bump(time.hour, 8, 1.5) + 0.35 * bump(time.hour, 18, 1.8) + 0.12 * bump(time.hour, 13, 3),
  healthcare: (time) => 0.84 + 0.18 * bump(time.hour, 10, 3) + 0.1 * bump(time.hour, 15, 3),
  // School days only.
  education: (time) => (isWeekend(time) ? 0.36 : 0.36 + 0.64 * window(time.hour, 8, 17)),
  // Shop hours, busiest in the evening and at weekends.
  retail: (time) => 0.42 + (isWeekend(time) ? 0.62 : 0.52) * window(time.hour, 10, 22) + 0.18 * bump(time.hour, 20, 1.5),
};

export function sectorRhythm(sector: SectorSlug, time: LocalTime): number {
  return RHYTHMS[sector](time);
}
