/**
 * OpenAI reasoning models (o1, o3, o4-mini, gpt-5…): they take `max_completion_tokens` and reject sampling
 * parameters such as `temperature`. `gpt-5-chat-*` is a plain chat model.
 * @example isOpenAIReasoningModel('o3-mini') // true
 */
export function isOpenAIReasoningModel(modelId: string): boolean {
  return /^(?:o\d|gpt-5)/.test(modelId) && !/^gpt-5(?:\.\d+)?-chat/.test(modelId);
}

/** Whether a model id is an OpenAI embedding model (`text-embedding-*`). */
export function isOpenAIEmbeddingModel(modelId: string): boolean {
  return modelId.startsWith('text-embedding-');
}

/** Whether a model id is an OpenAI image model (`dall-e-*`, `gpt-image-*`). */
export function isOpenAIImageModel(modelId: string): boolean {
  return modelId.startsWith('dall-e-') || modelId.startsWith('gpt-image-');
}

/**
 * Whether an OpenAI model name belongs to OpenAI: `gpt-*`, `o1*`, `o3*`, `o4*`, `chatgpt-*`, `text-embedding-*`,
 * `dall-e-*`, `gpt-image-*`.
 */
export function matchesOpenAIModel(modelId: string): boolean {
  return /^(?:gpt-|o1|o3|o4|chatgpt-|text-embedding-|dall-e-|gpt-image-)/.test(modelId);
}

/** Whether a base URL points at this machine (a local server: no API key needed). */
export function isLocalBaseURL(baseURL: string | undefined): boolean {
  if (!baseURL) return false;
  try {
    const host = new URL(baseURL).hostname;
    return host === 'localhost' || host === '[::1]' || host === '0.0.0.0' || host === 'host.docker.internal' || /^127\./.test(host);
  } catch {
    return false;
  }
}
