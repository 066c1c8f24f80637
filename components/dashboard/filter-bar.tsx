"use client";

import { useState } from "react";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { LANGUAGES, TIME_WINDOWS } from "@/lib/contracts/view";
import { OPERATOR_COLORS, SECTOR_COLORS } from "@/lib/domain/palette";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { formatDateTime } from "@/lib/domain/format";
import { useView } from "@/components/providers/view-context";

function Chip({ pressed, onClick, color, children }: { pressed: boolean; onClick: () => void; color?: string; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className="inline-flex items-center gap-1.5 rounded-full border border-panel-border px-3 py-1 text-sm text-ink-muted hover:border-ink-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent aria-pressed:border-accent aria-pressed:bg-accent/15 aria-pressed:text-ink"
    >
      {color ? <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: color }} /> : null}
      {children}
    </button>
  );
}

/** Toggles `slug` in a multi-select where "none selected" means all. */
function toggle<T extends string>(selected: readonly T[], slug: T, all: readonly T[]): T[] {
  const next = selected.includes(slug) ? selected.filter((entry) => entry !== slug) : [...selected, slug];
  return next.length === all.length ? [] : all.filter((entry) => next.includes(entry));
}

function Group({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-1.5">
      <span className="mr-1 text-xs font-medium uppercase tracking-wide text-ink-muted">{label}</span>
      {children}
    </div>
  );
}

/** Operator and sector multi-selects, time window, language and theme; every choice lands in the URL. */
export function FilterBar() {
  const { view, messages, setView } = useView();
  const set = setView;
  // On a phone the controls would fill the first screen: they fold behind one button there.
  const [open, setOpen] = useState(false);
  const selected = view.operators.length + view.sectors.length;
  return (
    <nav aria-label={messages.filters.label} className="flex flex-col gap-3 rounded-lg border border-panel-border bg-panel p-3">
      <button
        type="button"
        data-filter-toggle
        aria-expanded={open}
        aria-controls="filter-controls"
        onClick={() => setOpen((current) => !current)}
        className="flex items-center justify-between gap-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent sm:hidden"
      >
        <span>
          <span aria-hidden>{open ? "▾ " : "▸ "}</span>
          {messages.filters.show}
        </span>
        <span className="text-ink-muted">
          {messages.filters.windows[view.window]}
          {selected > 0 ? ` · ${messages.filters.selected(selected)}` : ""}
        </span>
      </button>
      <div id="filter-controls" className={`${open ? "flex" : "hidden"} flex-col gap-3 sm:flex`}>
        <Group label={messages.filters.operators}>
          <Chip pressed={view.operators.length === 0} onClick={() => set({ operators: [] })}>
            {messages.filters.all}
          </Chip>
          {OPERATOR_SLUGS.map((slug) => (
            <Chip key={slug} pressed={view.operators.includes(slug)} color={OPERATOR_COLORS[slug]} onClick={() => set((current) => ({ operators: toggle(current.operators, slug, OPERATOR_SLUGS) }))}>
              {operatorName(slug, view.lang)}
            </Chip>
          ))}
        </Group>
        <Group label={messages.filters.sectors}>
          <Chip pressed={view.sectors.length === 0} onClick={() => set({ sectors: [] })}>
            {messages.filters.all}
          </Chip>
          {SECTOR_SLUGS.map((slug) => (
            <Chip key={slug} pressed={view.sectors.includes(slug)} color={SECTOR_COLORS[slug]} onClick={() => set((current) => ({ sectors: toggle(current.sectors, slug, SECTOR_SLUGS) }))}>
              {sectorName(slug, view.lang)}
            </Chip>
          ))}
        </Group>
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <Group label={messages.filters.window}>
            {TIME_WINDOWS.map((window) => (
              <Chip key={window} pressed={view.window === window && !view.range} onClick={() => set({ window, range: undefined })}>
                {messages.filters.windows[window]}
              </Chip>
            ))}
          </Group>
          <Group label={messages.filters.language}>
            {LANGUAGES.map((lang) => (
              <Chip key={lang} pressed={view.lang === lang} onClick={() => set({ lang })}>
                <span lang={lang}>{lang === "en" ? "English" : "中文"}</span>
              </Chip>
            ))}
          </Group>
          <Group label={messages.filters.theme}>
            <Chip pressed={view.theme === "dark"} onClick={() => set({ theme: "dark" })}>
              {messages.filters.dark}
            </Chip>
            <Chip pressed={view.theme === "light"} onClick={() => set({ theme: "light" })}>
              {messages.filters.light}
            </Chip>
          </Group>
        </div>
        {view.range ? (
          <div data-zoom className="flex flex-wrap items-center gap-3 text-sm">
            <span>{messages.zoom.showing(formatDateTime(view.range.from, view.lang), formatDateTime(view.range.to, view.lang))}</span>
            <button
              type="button"
              data-zoom-reset
              onClick={() => set({ range: undefined })}
              className="rounded-full border border-accent px-3 py-1 text-sm hover:bg-accent/15 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
            >
              {messages.zoom.reset}
            </button>
          </div>
        ) : (
          <p className="hidden text-xs text-ink-muted sm:block">{messages.zoom.hint}</p>
        )}
      </div>
    </nav>
  );
}
