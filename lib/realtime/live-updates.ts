/**
 * Hands the newest value of a live source (the view's live window) to the page's writers, the
 * numbers on screen that update themselves without a React render. A writer always gets the
 * newest value, never a queue of old ones, and at most one update per `minIntervalMs`: 0 on the
 * dashboard (the stream already coalesces ticks to one per animation frame), about a second on a
 * wall, whose cells need not move faster than a person reads them however fast ticks come. A
 * value that `isUrgent` (a new window after a filter change) is shown at once.
 *
 * No DOM and no React here: the timer and the clock are injected, so the throttle is tested with
 * plain values.
 */
export interface LiveUpdatesOptions<T> {
  /** The source's value now. */
  read(): T | undefined;
  /** Calls `onChange` whenever the source may have changed; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  minIntervalMs: number;
  /** Whether `next` must be shown without waiting for the interval (`shown` is what is on screen). */
  isUrgent?(shown: T | undefined, next: T): boolean;
  now?(): number;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
}

export class LiveUpdates<T> {
  private readonly writers = new Set<(value: T) => void>();
  private readonly watchers = new Set<(value: T) => void>();
  private unsubscribe: (() => void) | undefined;
  /** The value the writers were last handed (what is on screen), while subscribed to the source. */
  private shown: T | undefined;
  private seen: T | undefined;
  private lastFlushAt = -Infinity;
  private timer: unknown;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: LiveUpdatesOptions<T>) {
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  /** What is on screen: the value last handed to the writers, or the source's while nobody writes. */
  current(): T | undefined {
    return this.unsubscribe ? (this.shown ?? this.options.read()) : this.options.read();
  }

  /** `writer` gets the newest value, throttled (see the class); returns the unsubscribe. */
  subscribe(writer: (value: T) => void): () => void {
    this.writers.add(writer);
    this.connect();
    return () => {
      this.writers.delete(writer);
      this.disconnect();
    };
  }

  /** `watcher` gets every new value at once, unthrottled (the charts, which draw off the page's thread). */
  watch(watcher: (value: T) => void): () => void {
    this.watchers.add(watcher);
    this.connect();
    return () => {
      this.watchers.delete(watcher);
      this.disconnect();
    };
  }

  private connect(): void {
    if (this.unsubscribe) return;
    this.shown = this.seen = this.options.read();
    this.unsubscribe = this.options.subscribe(() => this.changed());
  }

  private disconnect(): void {
    if (this.writers.size || this.watchers.size || !this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    this.clearTimer(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    const value = this.options.read();
    if (value === undefined || value === this.seen) return;
    this.seen = value;
    for (const watcher of this.watchers) watcher(value);
    if (this.options.isUrgent?.(this.shown, value)) return this.flush();
    if (this.timer !== undefined) return; // a flush is already due; it will take the newest value
    const wait = this.lastFlushAt + this.options.minIntervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = this.setTimer(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const value = this.seen;
    if (value === undefined || value === this.shown) return;
    this.shown = value;
    this.lastFlushAt = this.now();
    for (const writer of this.writers) writer(value);
  }
}
