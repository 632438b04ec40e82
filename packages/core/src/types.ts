/** Who wrote a message. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** One part of a multi-part message: text, or an image/file given as bytes or a URL. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image' | 'file'; data: Uint8Array | URL; mediaType: string; filename?: string };

/** A tool call the model asked for. `arguments` is the parsed JSON object. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
  /** Opaque provider data that must be sent back unchanged (Gemini `thoughtSignature`). */
  providerMetadata?: Record<string, unknown>;
}

/** One executed tool call, as recorded in `reply.toolInteractions` and in saved history. */
export interface ToolInteraction {
  tool: string;
  arguments: unknown;
  result?: unknown;
  error?: string;
  durationMs: number;
  /** The id of the tool call this interaction answered. */
  toolCallId?: string;
}

/** A chat message. Tool results are `role: 'tool'` messages with `toolCallId`. */
export interface Message {
  role: Role;
  content: string | ContentPart[];
  toolCalls?: ToolCall[];
  toolCallId?: string;
  /** Tool name for `role: 'tool'` messages (Gemini needs it to answer a function call). */
  toolName?: string;
  /** True when a tool result reports an error. */
  isError?: boolean;
  toolInteractions?: ToolInteraction[];
  createdAt?: Date;
}

/** Token usage. `cachedInput` and `reasoning` are included in `input` and `output`. */
export interface Usage {
  input: number;
  output: number;
  total: number;
  cachedInput?: number;
  cacheWriteInput?: number;
  reasoning?: number;
  /** Cost in USD when known (history summaries). */
  costUsd?: number;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal' | 'error' | 'other';

/** A JSON Schema object (draft 2020-12 subset as produced by `z.toJSONSchema`). */
export type JsonSchema = Record<string, unknown>;

/** A tool as a provider sees it. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
}

/** Which tool the model must use. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Ask for JSON output. Providers with native structured output use `schema`; others get instructions from core. */
export interface ResponseFormat {
  type: 'json';
  /** JSON Schema of the answer. Absent means "any JSON object". */
  schema?: JsonSchema;
  /** A name for the schema (OpenAI requires one). */
  name?: string;
  description?: string;
}

/** What core sends a provider. System messages are never in `messages`: the system prompt is `system`. */
export interface ProviderRequest {
  messages: Message[];
  system?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stopSequences?: string[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  signal?: AbortSignal;
  /** Extra provider-specific request fields, passed through as given. */
  providerOptions?: Record<string, unknown>;
}

/** What a provider returns for a non-streaming call. */
export interface ProviderResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** The model id the server reports, when it reports one. */
  model?: string;
  /** The reasoning/thinking text when the provider exposes it. */
  reasoning?: string;
  raw?: unknown;
}

/** Events of a provider stream. A stream ends with exactly one `finish`. */
export type ProviderStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; model?: string; raw?: unknown };

/** A chat model of one provider. */
export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  /** Whether the provider enforces `responseFormat.schema` natively (else core adds instructions). */
  readonly supportsStructuredOutput?: boolean;
  generate(request: ProviderRequest): Promise<ProviderResponse>;
  stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent>;
}

/** An embedding model of one provider. */
export interface EmbeddingModel {
  readonly provider?: string;
  readonly modelId?: string;
  /** The most texts one request may carry; core splits larger batches. */
  readonly maxBatchSize: number;
  embed(texts: string[], options: { signal?: AbortSignal }): Promise<{ embeddings: number[][]; usage: Usage }>;
}

/** Options for image generation (`llm.generateImage`). */
export interface ImageGenerationOptions {
  size?: string;
  quality?: string;
  style?: string;
  n?: number;
  /** Ask for a URL or base64 data where the model offers both (DALL·E). */
  responseFormat?: 'url' | 'base64';
  signal?: AbortSignal;
}

/** One generated image as a provider returns it. */
export interface ProviderImage {
  url?: string;
  base64?: string;
  revisedPrompt?: string;
  mediaType?: string;
}

/** An image generation model of one provider. */
export interface ImageModel {
  readonly provider?: string;
  readonly modelId?: string;
  generate(prompt: string, options: ImageGenerationOptions): Promise<{ images: ProviderImage[] }>;
}

/** Options every provider accepts; each may add its own. Keys come from the environment when absent. */
export interface ProviderOptions {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  /** Per-request timeout inside the SDK. Core's `timeoutMs` covers the whole call. */
  timeoutMs?: number;
  /** Retries inside the vendor SDK. Core sets 0 and retries itself, so the policies do not multiply. */
  maxRetries?: number;
  fetch?: typeof globalThis.fetch;
  [key: string]: unknown;
}

/** A provider plugin: registered with `registerProvider(definition)`. */
export interface ProviderDefinition {
  /** The provider's name: the prefix of `name:model` model strings. */
  name: string;
  /** Whether a bare model name (no `provider:` prefix) belongs to this provider. */
  matches(modelId: string): boolean;
  languageModel(modelId: string, options: ProviderOptions): LanguageModel;
  embeddingModel?(modelId: string, options: ProviderOptions): EmbeddingModel;
  imageModel?(modelId: string, options: ProviderOptions): ImageModel;
  /** Whether this model id is an embedding model (routes `llm.embed` and refuses `ask`). */
  isEmbeddingModel?(modelId: string): boolean;
}

/** A JSON value: what caches store. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a cache stores under a key: a JSON object. */
export type CachedValue = { [key: string]: JsonValue };

/** Cache statistics, as the seed guide shows (`hit_rate`, `size_bytes`). */
export interface CacheStats {
  hits: number;
  misses: number;
  sets: number;
  /** hits / (hits + misses), 0 when nothing was asked. */
  hitRate: number;
  /** Number of live entries. */
  size: number;
  /** Bytes of the serialized live entries. */
  sizeBytes: number;
}

/** A response cache plugin. Values are JSON objects; TTLs are in seconds and 0 means no expiry. */
export interface Cache {
  get(key: string): Promise<CachedValue | undefined>;
  set(key: string, value: CachedValue, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  stats(): Promise<CacheStats>;
  /** Removes expired entries and returns how many it removed. */
  clearExpired?(): Promise<number>;
  close?(): Promise<void>;
}

/** What `saveExchange` receives besides the two messages. */
export interface ExchangeMeta {
  usage?: Usage;
  model?: string;
  costUsd?: number;
  /**
   * The messages between the user message and the final assistant message, in order: assistant messages with
   * `toolCalls` and the `tool` result messages. Stored in the same transaction.
   */
  toolMessages?: Message[];
}

/** One stored conversation of a user. */
export interface SessionInfo {
  sessionId: string;
  title?: string;
  messageCount: number;
  createdAt: Date;
  lastActivity: Date;
}

/** A conversation history store (the Python original's HistoryBackup), bound to one user and session. */
export interface HistoryStore {
  readonly userId?: string;
  readonly sessionId?: string;
  /** Stores the exchange atomically: all of its messages or none. */
  saveExchange(user: Message, assistant: Message, meta?: ExchangeMeta): Promise<void>;
  /** The newest `limit` messages, oldest first, never starting with an orphaned tool result. */
  loadHistory(options?: { limit?: number }): Promise<Message[]>;
  getUsageSummary(): Promise<Usage>;
  /** Removes this session's messages and returns how many it removed. */
  clear(): Promise<number>;
  /** The user's sessions with their message counts and last activity, newest first. */
  listSessions?(): Promise<SessionInfo[]>;
  close?(): Promise<void>;
}

/** A logger: console by default, any pino-compatible logger works. */
export interface Logger {
  debug?(obj: unknown, msg?: string): void;
  info?(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** What a tool's `execute` receives besides its arguments. */
export interface ToolExecutionContext {
  toolCallId: string;
  /** Aborted when the `ask` is cancelled: long-running tools should stop. */
  signal?: AbortSignal;
}

/**
 * A tool the model may call. `parameters` is a zod schema (validated before `execute`) or a JSON Schema object.
 * Create one with `defineTool()`; MCP tools and OpenAI-style JSON tools with a handler become this shape too.
 */
export interface Tool<Args = any, Result = unknown> {
  name: string;
  description?: string;
  parameters: import('zod').ZodType<Args> | JsonSchema;
  /** Runs the tool. Without it the call is returned to the caller (as with `executeTools: false`). */
  execute?(args: Args, context: ToolExecutionContext): Result | Promise<Result>;
}

/** A live set of tools from MCP servers; core loads it from `@llm/mcp` when `mcpServers` is given. */
export interface McpToolSet {
  tools: Tool[];
  close(): Promise<void>;
}
