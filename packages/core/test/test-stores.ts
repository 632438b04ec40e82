import { addUsage, emptyUsage, type Cache, type CachedValue, type CacheStats, type ExchangeMeta, type HistoryStore, type Message, type Usage } from '@llm/core';

/** A small Map cache for core's own tests (the real backends live in @llm/cache-*). */
export class MapCache implements Cache {
  readonly map = new Map<string, string>();
  hits = 0;
  misses = 0;
  sets = 0;
  failing = false;
  async get(key: string) {
    if (this.failing) throw new Error('cache down');
    const raw = this.map.get(key);
    if (raw === undefined) { this.misses++; return undefined; }
    this.hits++;
    return JSON.parse(raw) as CachedValue;
  }
  async set(key: string, value: CachedValue) {
    if (this.failing) throw new Error('cache down');
    this.sets++;
    this.map.set(key, JSON.stringify(value));
  }
  async delete(key: string) { return this.map.delete(key); }
  async clear() { this.map.clear(); }
  async stats(): Promise<CacheStats> {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, sets: this.sets, hitRate: total ? this.hits / total : 0, size: this.map.size, sizeBytes: [...this.map.values()].reduce((n, v) => n + v.length, 0) };
  }
}

/** A small array-backed history store for core's own tests (the real ones live in @llm/history-*). */
export class ArrayHistoryStore implements HistoryStore {
  constructor(readonly rows: { message: Message; meta?: ExchangeMeta }[] = [], public failing = false) {}
  async saveExchange(user: Message, assistant: Message, meta?: ExchangeMeta) {
    if (this.failing) throw new Error('backup service temporarily unavailable');
    this.rows.push({ message: user }, ...(meta?.toolMessages ?? []).map((message) => ({ message })), { message: assistant, meta });
  }
  async loadHistory(options: { limit?: number } = {}) {
    const all = this.rows.map((r) => r.message);
    return options.limit ? all.slice(-options.limit) : all;
  }
  async getUsageSummary(): Promise<Usage> {
    return this.rows.reduce((u, r) => addUsage(u, r.meta?.usage), emptyUsage());
  }
  async clear() {
    const n = this.rows.length;
    this.rows.length = 0;
    return n;
  }
}
