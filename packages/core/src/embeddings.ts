import { embeddingCacheKey } from './cache-key.js';
import { ConfigurationError } from './errors.js';
import type { Cache, EmbeddingModel, Usage } from './types.js';
import { addUsage, emptyUsage } from './usage.js';

/** Options of `llm.embedMany`. */
export interface EmbedManyOptions {
  /** Texts per request (capped at the model's `maxBatchSize`). */
  batchSize?: number;
  /** Called after each batch with how many texts are done. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** false bypasses the cache. */
  cache?: boolean;
}

/** What embedding needs from its LLM. */
export interface EmbedContext {
  model: EmbeddingModel;
  provider: string;
  modelId: string;
  cache?: Cache;
  cacheTtl?: number;
  onCacheError(error: unknown): void;
  /** Runs a call through the LLM's retry policy. */
  retry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

async function readCached(ctx: EmbedContext, texts: string[], out: (number[] | undefined)[]): Promise<void> {
  await Promise.all(texts.map(async (text, i) => {
    try {
      const hit = await ctx.cache!.get(embeddingCacheKey(ctx.provider, ctx.modelId, text));
      if (hit && Array.isArray(hit.embedding)) out[i] = hit.embedding as number[];
    } catch (error) {
      ctx.onCacheError(error);
    }
  }));
}

async function writeCached(ctx: EmbedContext, texts: string[], vectors: number[][]): Promise<void> {
  await Promise.all(texts.map(async (text, i) => {
    try {
      await ctx.cache!.set(embeddingCacheKey(ctx.provider, ctx.modelId, text), { embedding: vectors[i] }, ctx.cacheTtl !== undefined ? { ttlSeconds: ctx.cacheTtl } : undefined);
    } catch (error) {
      ctx.onCacheError(error);
    }
  }));
}

/**
 * Embeds texts in input order: cached texts are read from the cache (per text), only the missing ones are sent,
 * in batches no larger than the model allows.
 */
export async function embedTexts(ctx: EmbedContext, texts: string[], options: EmbedManyOptions = {}): Promise<{ embeddings: number[][]; usage: Usage }> {
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
    throw new ConfigurationError('embedMany() takes an array of strings.');
  }
  const out: (number[] | undefined)[] = new Array(texts.length).fill(undefined);
  const useCache = ctx.cache && options.cache !== false;
  if (useCache) await readCached(ctx, texts, out);
  const missing = out.flatMap((v, i) => (v ? [] : [i]));
  const size = Math.max(1, Math.min(options.batchSize ?? ctx.model.maxBatchSize, ctx.model.maxBatchSize));
  let usage = emptyUsage();
  let done = texts.length - missing.length;
  if (done && options.onProgress) options.onProgress(done, texts.length);
  for (let start = 0; start < missing.length; start += size) {
    const indexes = missing.slice(start, start + size);
    const batch = indexes.map((i) => texts[i]);
    const result = await ctx.retry(() => ctx.model.embed(batch, { signal: options.signal }), options.signal);
    if (result.embeddings.length !== batch.length) {
      throw new ConfigurationError(`The embedding model returned ${result.embeddings.length} vectors for ${batch.length} texts.`);
    }
    indexes.forEach((i, j) => (out[i] = result.embeddings[j]));
    usage = addUsage(usage, result.usage);
    if (useCache) await writeCached(ctx, batch, result.embeddings);
    done += batch.length;
    options.onProgress?.(done, texts.length);
  }
  return { embeddings: out as number[][], usage };
}

/** Cosine similarity of two vectors (1 = same direction). */
export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
