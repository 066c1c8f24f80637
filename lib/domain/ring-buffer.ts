/** A fixed-capacity FIFO: pushing past capacity drops the oldest item. Memory never grows. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error("capacity must be a positive integer");
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Puts `item` in place of the newest item (a revised tick); does nothing when empty. */
  replaceLast(item: T): void {
    if (this.count === 0) return;
    this.items[(this.start + this.count - 1) % this.capacity] = item;
  }

  /** Item `index` counted from the oldest (0) to the newest (size - 1). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  /** The newest `n` items (or all), oldest first. */
  latest(n = this.count): T[] {
    const from = Math.max(0, this.count - n);
    const result: T[] = [];
    for (let index = from; index < this.count; index++) result.push(this.at(index)!);
    return result;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
