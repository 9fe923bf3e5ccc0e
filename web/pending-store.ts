/**
 * Short-lived server-side holding for what a page shows before it is confirmed (an import's parsed
 * file between preview and apply, an issued token's receipt): bounded in count and time, per person,
 * and kept in this process only. A reader whose entry is gone (expired, another instance, a restart)
 * is asked to start again; nothing was applied.
 */
export class PendingStore<T> {
  private readonly entries = new Map<string, { owner: string; until: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  put(key: string, owner: string, value: T): void {
    this.sweep();
    // Oldest first: a Map iterates in insertion order.
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { owner, until: Date.now() + this.ttlMs, value });
  }

  get(key: string, owner: string): T | undefined {
    this.sweep();
    const entry = this.entries.get(key);
    return entry && entry.owner === owner ? entry.value : undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}
