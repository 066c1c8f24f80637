"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import {
  createdDisplayTokenSchema,
  displayTokenSchema,
  playlistResponseSchema,
  type Playlist,
  type PlaylistView,
} from "@/lib/contracts/playlists";
import { TIME_WINDOWS } from "@/lib/contracts/view";
import { sendJson } from "@/lib/queries/fetch-json";
import { displayTokensQueryOptions, playlistsQueryOptions } from "@/lib/queries/playlists";
import type { Language } from "@/lib/contracts/view";
import { MESSAGES, type Messages } from "@/lib/i18n/messages";
import { operatorName, sectorName } from "@/lib/i18n/names";

type AdminText = Messages["admin"];

const field = "rounded border border-panel-border bg-canvas px-2 py-1 text-sm";
const button = "rounded border border-panel-border px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-40";

function toggle<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((entry) => entry !== item) : [...list, item];
}

function ViewRow({ view, index, count, onChange, onMove, onRemove, text, lang }: {
  text: AdminText;
  lang: Language;
  view: PlaylistView;
  index: number;
  count: number;
  onChange: (view: PlaylistView) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <li data-view-row={index} className="space-y-2 rounded-md border border-panel-border p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-ink-muted">{index + 1}.</span>
        <input aria-label={text.playlists.viewTitle(index + 1)} className={field} value={view.title ?? ""} placeholder={text.playlists.titlePlaceholder} onChange={(event) => onChange({ ...view, title: event.target.value || null })} />
        <label className="text-sm">
          {text.playlists.window}{" "}
          <select aria-label={text.playlists.viewWindow(index + 1)} className={field} value={view.window} onChange={(event) => onChange({ ...view, window: event.target.value as PlaylistView["window"] })}>
            {TIME_WINDOWS.map((window) => (
              <option key={window}>{window}</option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {text.playlists.dwell}{" "}
          <input aria-label={text.playlists.viewDwell(index + 1)} type="number" min={5} max={3600} className={`${field} w-20`} value={view.dwellSeconds} onChange={(event) => onChange({ ...view, dwellSeconds: Number(event.target.value) })} />
        </label>
        <button type="button" className={button} disabled={index === 0} onClick={() => onMove(-1)} aria-label={text.playlists.moveUp(index + 1)}>↑</button>
        <button type="button" className={button} disabled={index === count - 1} onClick={() => onMove(1)} aria-label={text.playlists.moveDown(index + 1)}>↓</button>
        <button type="button" className={button} disabled={count === 1} onClick={onRemove}>{text.playlists.remove}</button>
      </div>
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="sr-only">{text.playlists.operatorsLegend}</legend>
        {OPERATOR_SLUGS.map((slug) => (
          <label key={slug} className="flex items-center gap-1">
            <input type="checkbox" checked={view.operators.includes(slug)} onChange={() => onChange({ ...view, operators: OPERATOR_SLUGS.filter((entry) => toggle(view.operators, slug).includes(entry)) })} />
            {operatorName(slug, lang)}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="sr-only">{text.playlists.sectorsLegend}</legend>
        {SECTOR_SLUGS.map((slug) => (
          <label key={slug} className="flex items-center gap-1">
            <input type="checkbox" checked={view.sectors.includes(slug)} onChange={() => onChange({ ...view, sectors: SECTOR_SLUGS.filter((entry) => toggle(view.sectors, slug).includes(entry)) })} />
            {sectorName(slug, lang)}
          </label>
        ))}
      </fieldset>
    </li>
  );
}

function Tokens({ slug, text }: { slug: string; text: AdminText }) {
  const queryClient = useQueryClient();
  const tokens = useQuery(displayTokensQueryOptions(slug)).data?.tokens ?? [];
  const [label, setLabel] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: displayTokensQueryOptions(slug).queryKey });
  const create = useMutation({
    mutationFn: () => sendJson("POST", `/api/playlists/${slug}/tokens`, { label }, createdDisplayTokenSchema),
    onSuccess: (answer) => {
      setCreated(`${window.location.origin}${answer.url}`);
      setLabel("");
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => sendJson("DELETE", `/api/display-tokens/${id}`, undefined, z.object({ token: displayTokenSchema })),
    onSuccess: () => void refresh(),
  });
  return (
    <section aria-label={text.tokens.heading} className="space-y-2">
      <h3 className="font-medium">{text.tokens.heading}</h3>
      <p className="text-xs text-ink-muted">{text.tokens.note}</p>
      <form className="flex gap-2" onSubmit={(event) => (event.preventDefault(), create.mutate())}>
        <input aria-label={text.tokens.label} className={field} value={label} placeholder={text.tokens.placeholder} onChange={(event) => setLabel(event.target.value)} />
        <button type="submit" className={button} disabled={!label.trim()}>{text.tokens.create}</button>
      </form>
      {created ? (
        <p data-new-token-url className="break-all rounded border border-accent p-2 font-mono text-xs">
          {created}
          <span className="mt-1 block font-sans text-ink-muted">{text.tokens.shownOnce}</span>
        </p>
      ) : null}
      {create.error || revoke.error ? <p role="alert" className="text-sm text-warn">{(create.error ?? revoke.error)?.message}</p> : null}
      <ul className="space-y-1 text-sm">
        {tokens.map((token) => (
          <li key={token.id} data-token={token.id} className="flex items-center gap-2">
            <span>{token.label}</span>
            <span className="text-xs text-ink-muted">{token.revokedAt ? text.tokens.revoked(token.revokedAt.slice(0, 16).replace("T", " ")) : text.tokens.since(token.createdAt.slice(0, 10))}</span>
            {token.revokedAt ? null : (
              <button type="button" className={button} onClick={() => revoke.mutate(token.id)}>{text.tokens.revoke}</button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PlaylistForm({ playlist, onDone, text, lang }: { playlist: Playlist | null; onDone: () => void; text: AdminText; lang: Language }) {
  const queryClient = useQueryClient();
  const [slug, setSlug] = useState(playlist?.slug ?? "");
  const [name, setName] = useState(playlist?.name ?? "");
  const [views, setViews] = useState<PlaylistView[]>(playlist?.views ?? [{ title: text.playlists.defaultViewTitle, operators: [], sectors: [], window: "15m", dwellSeconds: 30 }]);
  const save = useMutation({
    mutationFn: () =>
      playlist
        ? sendJson("PUT", `/api/playlists/${playlist.slug}`, { name, views }, playlistResponseSchema)
        : sendJson("POST", "/api/playlists", { slug, name, views }, playlistResponseSchema),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: playlistsQueryOptions().queryKey });
      onDone();
    },
  });
  const move = (index: number, by: -1 | 1) =>
    setViews((current) => {
      const next = [...current];
      [next[index], next[index + by]] = [next[index + by]!, next[index]!];
      return next;
    });
  return (
    <form className="space-y-3" onSubmit={(event) => (event.preventDefault(), save.mutate())}>
      <div className="flex flex-wrap gap-3">
        <label className="text-sm">
          {text.playlists.address}
          <input aria-label={text.playlists.slug} className={field} value={slug} disabled={!!playlist} onChange={(event) => setSlug(event.target.value)} required />
        </label>
        <label className="text-sm">
          {text.playlists.name} <input aria-label={text.playlists.nameLabel} className={field} value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
      </div>
      <ol className="space-y-2">
        {views.map((view, index) => (
          <ViewRow
            key={index}
            view={view}
            text={text}
            lang={lang}
            index={index}
            count={views.length}
            onChange={(changed) => setViews((current) => current.map((entry, at) => (at === index ? changed : entry)))}
            onMove={(by) => move(index, by)}
            onRemove={() => setViews((current) => current.filter((_, at) => at !== index))}
          />
        ))}
      </ol>
      <div className="flex gap-2">
        <button type="button" className={button} onClick={() => setViews((current) => [...current, { title: null, operators: [], sectors: [], window: "15m", dwellSeconds: 20 }])}>
          {text.playlists.addView}
        </button>
        <button type="submit" className={`${button} border-accent`} disabled={save.isPending}>{text.playlists.save}</button>
        <button type="button" className={button} onClick={onDone}>{text.playlists.cancel}</button>
      </div>
      {save.error ? <p role="alert" className="text-sm text-warn">{save.error.message}</p> : null}
    </form>
  );
}

export function PlaylistsEditor({ lang }: { lang: Language }) {
  const text = MESSAGES[lang].admin;
  const queryClient = useQueryClient();
  const playlists = useQuery(playlistsQueryOptions()).data?.playlists ?? [];
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const remove = useMutation({
    mutationFn: (slug: string) => sendJson("DELETE", `/api/playlists/${slug}`, undefined, z.object({})),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: playlistsQueryOptions().queryKey }),
  });
  return (
    <div className="space-y-4">
      {playlists.map((playlist) => (
        <article key={playlist.slug} data-playlist={playlist.slug} className="space-y-3 rounded-lg border border-panel-border bg-panel p-4">
          <header className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="font-semibold">
              {playlist.name} <a className="text-sm font-normal text-accent underline-offset-4 hover:underline" href={`/wall/${playlist.slug}`}>/wall/{playlist.slug}</a>
            </h2>
            <div className="flex gap-2">
              <button type="button" className={button} onClick={() => setEditing(playlist.slug)}>{text.playlists.edit}</button>
              <button type="button" className={button} onClick={() => remove.mutate(playlist.slug)}>{text.playlists.delete}</button>
            </div>
          </header>
          {editing === playlist.slug ? (
            <PlaylistForm playlist={playlist} text={text} lang={lang} onDone={() => setEditing(null)} />
          ) : (
            <ol className="list-inside list-decimal text-sm text-ink-muted">
              {playlist.views.map((view, index) => (
                <li key={index}>
                  {view.title ?? text.playlists.untitled} · {view.operators.map((slug) => operatorName(slug, lang)).join(", ") || text.playlists.allOperators} ·{" "}
                  {view.sectors.map((slug) => sectorName(slug, lang)).join(", ") || text.playlists.allSectors} · {view.window} · {view.dwellSeconds} s
                </li>
              ))}
            </ol>
          )}
          <Tokens slug={playlist.slug} text={text} />
        </article>
      ))}
      {editing === "new" ? (
        <section className="rounded-lg border border-panel-border bg-panel p-4">
          <PlaylistForm playlist={null} text={text} lang={lang} onDone={() => setEditing(null)} />
        </section>
      ) : (
        <button type="button" className={button} onClick={() => setEditing("new")}>{text.playlists.newPlaylist}</button>
      )}
      {remove.error ? <p role="alert" className="text-sm text-warn">{remove.error.message}</p> : null}
    </div>
  );
}
