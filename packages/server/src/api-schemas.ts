// JSON Schemas of the HTTP API: Fastify validates requests with them, serializes replies with them, and
// @fastify/swagger turns them into the OpenAPI document at /docs.

/** Session ids the server hands out (UUIDs) and accepts (letters, digits, `_`, `-`). */
export const SESSION_ID_PATTERN = '^[A-Za-z0-9_-]{1,128}$';

/** The longest message, in characters. */
export const MAX_MESSAGE_LENGTH = 32_000;

const sessionId = { type: 'string', pattern: SESSION_ID_PATTERN, description: 'A session id from POST /api/chat/session.' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

/** The error body of every 4xx/5xx reply. */
export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The request field that was wrong (400 only).' },
    code: { type: 'string' },
  },
} as const;

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { $ref: 'ApiError#' }]));

const usage = {
  type: 'object',
  required: ['input', 'output', 'total'],
  properties: { input: { type: 'integer' }, output: { type: 'integer' }, total: { type: 'integer' } },
} as const;

const cost = {
  type: ['object', 'null'],
  properties: { inputUsd: { type: 'number' }, outputUsd: { type: 'number' }, usd: { type: 'number' } },
} as const;

/** The body of POST /api/chat/message and /api/chat/message/stream. */
export const chatMessageBody = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_LENGTH, pattern: '\\S', description: 'The user message.' },
    sessionId,
    useTools: { type: 'boolean', default: true, description: 'Offer the tools (calculator, demo weather and search, MCP).' },
    model: { type: 'string', minLength: 1, maxLength: 200, description: 'One of the models GET /api/models lists.' },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    maxTokens: { type: 'integer', minimum: 1, maximum: 4000 },
  },
} as const;

/** What a chat request body holds after validation. */
export interface ChatMessageBody {
  message: string;
  sessionId?: string;
  useTools: boolean;
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

/** POST /api/chat/session */
export const createSessionSchema = {
  summary: 'Start a chat session',
  tags: ['chat'],
  response: { 201: { type: 'object', required: ['sessionId'], properties: { sessionId: { type: 'string' } } }, ...errors(401, 429) },
} as const;

/** POST /api/chat/message */
export const chatMessageSchema = {
  summary: 'Send a message and get the whole answer',
  tags: ['chat'],
  body: chatMessageBody,
  response: {
    200: {
      type: 'object',
      required: ['response', 'sessionId', 'model', 'toolsUsed', 'usage', 'cost'],
      properties: {
        response: { type: 'string' },
        sessionId: { type: 'string' },
        model: { type: 'string' },
        toolsUsed: { type: 'array', items: { type: 'string' } },
        usage,
        cost,
      },
    },
    ...errors(400, 401, 404, 413, 429, 502, 504),
  },
} as const;

/** POST /api/chat/message/stream */
export const chatStreamSchema = {
  summary: 'Send a message and stream the answer (Server-Sent Events)',
  description:
    'Events: `metadata` {sessionId, model}, `message` {content} (deltas), `tool` {name, arguments, result, error}, ' +
    '`usage` {input, output, total, costUsd}, `done` {sessionId, model, toolsUsed, finishReason}, `error` {reason, message}. ' +
    'Closing the connection aborts the model call.',
  tags: ['chat'],
  body: chatMessageBody,
  produces: ['text/event-stream'],
  response: { 200: { description: 'An event stream.', type: 'string' }, ...errors(400, 401, 404, 413, 429) },
} as const;

const storedMessage = {
  type: 'object',
  required: ['role', 'content'],
  properties: {
    role: { type: 'string', enum: ['system', 'user', 'assistant', 'tool'] },
    content: { type: 'string' },
    createdAt: dateTime,
    toolCalls: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' }, arguments: {} } } },
    toolCallId: { type: 'string' },
    toolName: { type: 'string' },
    isError: { type: 'boolean' },
  },
} as const;

const sessionParams = { type: 'object', required: ['sessionId'], properties: { sessionId } } as const;

/** GET /api/chat/history/:sessionId */
export const historySchema = {
  summary: "A session's messages",
  tags: ['chat'],
  params: sessionParams,
  response: {
    200: { type: 'object', required: ['sessionId', 'messages'], properties: { sessionId: { type: 'string' }, messages: { type: 'array', items: storedMessage } } },
    ...errors(400, 401, 404, 429),
  },
} as const;

/** GET /api/chat/sessions */
export const sessionsSchema = {
  summary: "The user's sessions, newest first",
  tags: ['chat'],
  response: {
    200: {
      type: 'object',
      required: ['sessions'],
      properties: {
        sessions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['sessionId', 'messageCount', 'createdAt', 'lastActivity'],
            properties: { sessionId: { type: 'string' }, title: { type: 'string' }, messageCount: { type: 'integer' }, createdAt: dateTime, lastActivity: dateTime },
          },
        },
      },
    },
    ...errors(401, 429),
  },
} as const;

/** DELETE /api/chat/session/:sessionId */
export const deleteSessionSchema = {
  summary: 'Delete a session and its messages',
  tags: ['chat'],
  params: sessionParams,
  response: { 200: { type: 'object', required: ['deleted', 'messages'], properties: { deleted: { type: 'boolean' }, messages: { type: 'integer' } } }, ...errors(400, 401, 404, 429) },
} as const;

/** GET /api/models */
export const modelsSchema = {
  summary: 'The configured models and tools, and whether each model is reachable',
  tags: ['system'],
  response: {
    200: {
      type: 'object',
      required: ['model', 'fallbacks', 'mock', 'models', 'tools'],
      properties: {
        model: { type: 'string' },
        fallbacks: { type: 'array', items: { type: 'string' } },
        mock: { type: 'boolean', description: 'True when the offline mock model answers (no API key).' },
        models: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'provider', 'role', 'keySet', 'installed', 'status'],
            properties: {
              name: { type: 'string' },
              provider: { type: 'string' },
              role: { type: 'string', enum: ['primary', 'fallback', 'available'] },
              keySet: { type: 'boolean' },
              installed: { type: 'boolean' },
              status: { type: 'string', enum: ['ok', 'failing', 'unknown', 'unavailable'] },
              lastError: { type: 'string' },
            },
          },
        },
        tools: { type: 'array', items: { type: 'object', required: ['name', 'source'], properties: { name: { type: 'string' }, source: { type: 'string' } } } },
      },
    },
  },
} as const;

/** GET /health */
export const healthSchema = {
  summary: 'Liveness and the state of the stores',
  tags: ['system'],
  response: {
    '2xx': { $ref: 'Health#' },
    503: { $ref: 'Health#' },
  },
} as const;

/** The body of GET /health. */
export const healthBodySchema = {
  $id: 'Health',
  type: 'object',
  required: ['status', 'uptimeSeconds', 'model', 'sessions', 'history', 'anonymous'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'shutting-down'] },
    uptimeSeconds: { type: 'number' },
    model: { type: 'string' },
    sessions: { type: 'object', properties: { kind: { type: 'string' }, ok: { type: 'boolean' } } },
    history: { type: 'string' },
    anonymous: { type: 'boolean' },
  },
} as const;
