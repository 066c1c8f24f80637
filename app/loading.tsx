/**
 * While a page's server part is still reading the database: the page's frame in grey, so nothing
 * jumps when the real panels arrive. The language is not known here (it is in the URL the page
 * reads), so the one line of text is in both.
 */
export default function Loading() {
  return (
    <div data-page-loading role="status" aria-label="Loading · 正在加载" className="min-h-screen bg-canvas p-4 lg:p-6">
      <div className="mx-auto grid max-w-[2400px] gap-4 lg:grid-cols-3">
        <div className="h-10 w-64 animate-pulse rounded bg-panel-border lg:col-span-3" />
        <div className="h-32 animate-pulse rounded-lg bg-panel lg:col-span-3" />
        <div className="h-72 animate-pulse rounded-lg bg-panel lg:col-span-2" />
        <div className="h-72 animate-pulse rounded-lg bg-panel" />
      </div>
    </div>
  );
}
