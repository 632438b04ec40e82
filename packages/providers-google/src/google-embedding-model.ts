import type { EmbedContentConfig } from '@google/genai';
import { makeUsage, type EmbeddingModel, type Usage } from '@llm/core';
import type { GoogleClientFactory } from './google-client.js';

/** Options of a Gemini embedding model, passed through to `embedContent`'s config. */
export interface GoogleEmbeddingOptions {
  /** Shorter vectors (`outputDimensionality`), for the models that support it. */
  dimensions?: number;
  /** What the vectors are for, e.g. `RETRIEVAL_DOCUMENT`, `RETRIEVAL_QUERY`, `SEMANTIC_SIMILARITY`. */
  taskType?: string;
}

/**
 * A Gemini embedding model (`text-embedding-004`, `gemini-embedding-*`) through `embedContent`, which the SDK
 * sends as one `batchEmbedContents` request. Gemini reports no token usage for embeddings, so usage is zero.
 */
export class GoogleEmbeddingModel implements EmbeddingModel {
  readonly provider = 'google';
  /** Gemini's `batchEmbedContents` accepts at most 100 requests. */
  readonly maxBatchSize = 100;

  constructor(readonly modelId: string, private readonly clients: GoogleClientFactory, private readonly embedding: GoogleEmbeddingOptions = {}) {}

  async embed(texts: string[], options: { signal?: AbortSignal }): Promise<{ embeddings: number[][]; usage: Usage }> {
    if (texts.length === 0) return { embeddings: [], usage: makeUsage(0, 0) };
    const call = this.clients.start(this.modelId, options.signal);
    const config: EmbedContentConfig = {
      httpOptions: call.httpOptions,
      ...(options.signal ? { abortSignal: options.signal } : {}),
      ...(this.embedding.dimensions ? { outputDimensionality: this.embedding.dimensions } : {}),
      ...(this.embedding.taskType ? { taskType: this.embedding.taskType } : {}),
    };
    try {
      // One content per text: a plain string array may be merged into one content by some model paths of the SDK.
      const response = await call.client.models.embedContent({
        model: this.modelId,
        contents: texts.map((text) => ({ role: 'user', parts: [{ text }] })),
        config,
      });
      const embeddings = (response.embeddings ?? []).map((e) => e.values ?? []);
      if (embeddings.length !== texts.length) {
        throw new Error(`asked for ${texts.length} embeddings, got ${embeddings.length}`);
      }
      return { embeddings, usage: makeUsage(0, 0) };
    } catch (error) {
      throw call.fail(error);
    }
  }
}
