/** A tool call in Ollama's messages: arguments are an object, not a JSON string; newer servers add an id. */
export interface OllamaToolCall {
  id?: string;
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

/** A message of `/api/chat`. Images are base64 strings; tool results name their tool in `tool_name`. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
}

/** A tool offered to the model. */
export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** The body of `POST /api/chat`. */
export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  tools?: OllamaTool[];
  /** `'json'` or a JSON schema the answer must follow. */
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  think?: boolean | 'low' | 'medium' | 'high';
  keep_alive?: string | number;
}

/** One line of a streamed `/api/chat` answer, or the whole non-streamed answer (`done: true`). */
export interface OllamaChatResponse {
  model?: string;
  created_at?: string;
  message?: Partial<OllamaMessage>;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  /** Set instead of the rest when the server failed mid-stream. */
  error?: string;
}

/** The answer of `POST /api/embed`. */
export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][];
  prompt_eval_count?: number;
}
