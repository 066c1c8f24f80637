"use client";

import { useState } from "react";
import type { UrlNotice } from "@/lib/domain/dashboard-url";
import { useView } from "@/components/providers/view-context";

/** Says what in the address was not understood and was left out, instead of failing. */
export function UrlNotices({ notices }: { notices: UrlNotice[] }) {
  const { messages } = useView();
  const [dismissed, setDismissed] = useState(false);
  if (notices.length === 0 || dismissed) return null;
  return (
    <div role="alert" data-url-notices className="flex items-start justify-between gap-4 rounded-lg border border-warn/60 bg-panel p-3 text-sm">
      <ul className="space-y-1">
        {notices.map((notice) => (
          <li key={`${notice.parameter}=${notice.value}`}>{messages.notice.dropped(notice.parameter, notice.value)}</li>
        ))}
      </ul>
      <button type="button" onClick={() => setDismissed(true)} className="rounded border border-panel-border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-accent">
        {messages.notice.dismiss}
      </button>
    </div>
  );
}
