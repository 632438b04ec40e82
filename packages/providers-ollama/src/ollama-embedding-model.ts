import { makeUsage, type EmbeddingModel, type Usage } from '@llm/core';
import type { OllamaEmbedResponse } from './ollama-api-types.js';
import { ollamaModelName, postToOllama, type OllamaSettings } from './ollama-client.js';
import { ollamaNetworkError, ollamaStreamError } from './ollama-error.js';

/**
 * An Ollama embedding model (`nomic-embed-text`, `mxbai-embed-large`, `bge-m3`...) over `POST /api/embed`, which
 * embeds a whole batch (`input` array) in one call.
 */
export class OllamaEmbeddingModel implements EmbeddingModel {
  readonly provider = 'ollama';
  /** Ollama sets no limit; this keeps one request's memory reasonable. */
  readonly maxBatchSize = 256;

  constructor(readonly modelId: string, private readonly settings: OllamaSettings, private readonly dimensions?: number) {}

  async embed(texts: string[], options: { signal?: AbortSignal }): Promise<{ embeddings: number[][]; usage: Usage }> {
    if (texts.length === 0) return { embeddings: [], usage: makeUsage(0, 0) };
    const model = ollamaModelName(this.modelId);
    const body = { model, input: texts, ...(this.dimensions ? { dimensions: this.dimensions } : {}) };
    const { response, ctx } = await postToOllama(this.settings, '/api/embed', body, model, options.signal);
    let parsed: OllamaEmbedResponse;
    try {
      parsed = JSON.parse(await response.text()) as OllamaEmbedResponse;
    } catch (error) {
      if (error instanceof SyntaxError) throw ollamaStreamError('malformed JSON from /api/embed', ctx, error);
      throw ollamaNetworkError(error, ctx);
    }
    const embeddings = parsed.embeddings ?? [];
    if (embeddings.length !== texts.length) throw ollamaStreamError(`asked for ${texts.length} embeddings, got ${embeddings.length}`, ctx);
    return { embeddings, usage: makeUsage(parsed.prompt_eval_count ?? 0, 0) };
  }
}
