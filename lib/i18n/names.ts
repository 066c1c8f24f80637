import { OPERATORS, SECTORS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { Language } from "@/lib/contracts/view";

export const operatorName = (slug: OperatorSlug, lang: Language) => (lang === "zh" ? OPERATORS[slug].nameZh : OPERATORS[slug].name);
export const sectorName = (slug: SectorSlug, lang: Language) => (lang === "zh" ? SECTORS[slug].nameZh : SECTORS[slug].name);
