import { ConfigurationError, ProviderError, addUsage, makeUsage, type EmbeddingModel, type Usage } from '@llm/core';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { OpenAIClientContext } from './openai-client.js';
import { mapOpenAIError } from './openai-error.js';

/** OpenAI's limit of inputs per `/embeddings` request. */
export const OPENAI_MAX_EMBEDDING_BATCH = 2048;

/** Decodes one base64 embedding (little-endian float32, what `encoding_format: 'base64'` returns). */
function decodeEmbedding(embedding: number[] | string): number[] {
  if (Array.isArray(embedding)) return embedding;
  const bytes = Buffer.from(embedding, 'base64');
  const out = new Array<number>(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/**
 * An embedding model on `/embeddings` (OpenAI `text-embedding-3-*`, Upstage `embedding-query`/`embedding-passage`,
 * any compatible server). Vectors are asked for as base64 (as the SDK does by default) and decoded here, so a
 * server that answers with plain float arrays works too; results are ordered by their `index`.
 * Options: `maxBatchSize` (default 2048; larger inputs are split into several requests), `dimensions`.
 */
export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly provider: string;
  readonly modelId: string;
  readonly maxBatchSize: number;
  private readonly dimensions?: number;

  constructor(private readonly context: OpenAIClientContext) {
    this.provider = context.provider;
    this.modelId = context.modelId;
    const { maxBatchSize, dimensions } = context.options;
    if (maxBatchSize !== undefined && (typeof maxBatchSize !== 'number' || !Number.isInteger(maxBatchSize) || maxBatchSize < 1)) {
      throw new ConfigurationError(`maxBatchSize must be a positive integer, got ${String(maxBatchSize)}.`, { provider: this.provider, model: this.modelId });
    }
    this.maxBatchSize = (maxBatchSize as number | undefined) ?? OPENAI_MAX_EMBEDDING_BATCH;
    if (typeof dimensions === 'number') this.dimensions = dimensions;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<{ embeddings: number[][]; usage: Usage }> {
    const embeddings: number[][] = [];
    let usage = makeUsage(0, 0);
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const batch = texts.slice(start, start + this.maxBatchSize);
      const result = await this.embedBatch(batch, options.signal);
      embeddings.push(...result.embeddings);
      usage = addUsage(usage, result.usage);
    }
    return { embeddings, usage };
  }

  private async embedBatch(input: string[], signal: AbortSignal | undefined): Promise<{ embeddings: number[][]; usage: Usage }> {
    let response: CreateEmbeddingResponse;
    try {
      response = await this.context.client().embeddings.create(
        { model: this.modelId, input, encoding_format: 'base64', ...(this.dimensions ? { dimensions: this.dimensions } : {}) },
        { signal },
      );
    } catch (error) {
      throw mapOpenAIError(error, { ...this.context, signal });
    }
    const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) {
      throw new ProviderError(
        `${this.provider} (${this.modelId}) returned ${data.length} embeddings for ${input.length} texts. Retry, or lower maxBatchSize.`,
        { provider: this.provider, model: this.modelId, body: response },
      );
    }
    const promptTokens = response.usage?.prompt_tokens ?? 0;
    return {
      embeddings: data.map((item) => decodeEmbedding(item.embedding as number[] | string)),
      usage: makeUsage(promptTokens, 0),
    };
  }
}
