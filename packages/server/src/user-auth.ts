import { createHash, randomUUID } from 'node:crypto';
import { ConfigurationError } from '@llm/core';

/** Who is asking: a user id from a token, or an anonymous browser's id. */
export interface ChatUser {
  /** The user id sessions and history are stored under (`anon-…` for anonymous browsers). */
  id: string;
  /** True for an anonymous browser (no token). */
  anonymous: boolean;
}

/** The cookie that carries an anonymous browser's id. */
export const ANONYMOUS_COOKIE = 'llm_anon';
/** The header API clients may send their own anonymous id in. */
export const ANONYMOUS_HEADER = 'x-anonymous-id';

const ANONYMOUS_ID = /^[A-Za-z0-9_-]{16,128}$/;

/** The outcome of reading a request's credentials. */
export type AuthResult =
  | { ok: true; user: ChatUser; newAnonymousId?: string }
  | { ok: false; status: 401; message: string };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Parses `token:user,token2:user2` (the `LLM_SERVER_TOKENS` format). Throws ConfigurationError on a malformed entry.
 * @example parseTokens('s3cret-token:alice') // { 's3cret-token': 'alice' }
 */
export function parseTokens(text: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const token = entry.slice(0, at).trim();
    const user = entry.slice(at + 1).trim();
    if (at <= 0 || !token || !user) {
      throw new ConfigurationError(`LLM_SERVER_TOKENS: the entry #${Object.keys(tokens).length + 1} is not "token:user". Write tokens as token:user,token2:user2.`);
    }
    tokens[token] = user;
  }
  return tokens;
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The `Set-Cookie` value that gives a browser its anonymous id (HttpOnly: page scripts never see it). */
export function anonymousCookie(id: string): string {
  return `${ANONYMOUS_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000`;
}

/** What credentials a request carries (headers, and the `access_token` query parameter of a WebSocket upgrade). */
export interface Credentials {
  authorization?: string;
  apiKey?: string;
  queryToken?: string;
  anonymousHeader?: string;
  cookie?: string;
}

/**
 * Maps a bearer token / API key to a user id; lets anonymous browsers in under their own id when allowed.
 * Tokens are kept only as SHA-256 hashes.
 */
export class UserAuthenticator {
  private readonly users = new Map<string, string>();

  constructor(tokens: Record<string, string>, readonly anonymous: boolean) {
    for (const [token, user] of Object.entries(tokens)) this.users.set(sha256(token), user);
  }

  /** Whether any token is configured. */
  get hasTokens(): boolean {
    return this.users.size > 0;
  }

  /** Who sent these credentials, or why they are refused. */
  authenticate(credentials: Credentials): AuthResult {
    const bearer = /^Bearer\s+(.+)$/i.exec(credentials.authorization ?? '')?.[1]?.trim();
    const token = bearer ?? credentials.apiKey?.trim() ?? credentials.queryToken?.trim();
    if (token) {
      const user = this.users.get(sha256(token));
      if (user) return { ok: true, user: { id: user, anonymous: false } };
      return { ok: false, status: 401, message: 'The token is not valid. Send a token from LLM_SERVER_TOKENS as "Authorization: Bearer <token>" or "x-api-key: <token>".' };
    }
    if (!this.anonymous) {
      return { ok: false, status: 401, message: 'This server needs a token: send "Authorization: Bearer <token>" or "x-api-key: <token>" (tokens are set with LLM_SERVER_TOKENS).' };
    }
    const given = credentials.anonymousHeader ?? readCookie(credentials.cookie, ANONYMOUS_COOKIE);
    if (given !== undefined && ANONYMOUS_ID.test(given)) return { ok: true, user: anonymousUser(given) };
    // 122 random bits from Node's buffered UUID source (a synchronous randomBytes call per new browser costs more).
    const fresh = randomUUID().replaceAll('-', '');
    return { ok: true, user: anonymousUser(fresh), newAnonymousId: fresh };
  }
}

// Recently seen anonymous ids → their user ids, so a busy browser is not hashed on every request.
const anonymousUsers = new Map<string, string>();
const REMEMBERED_ANONYMOUS_IDS = 10_000;

/** The user of an anonymous id: its hash, so the id itself (a bearer secret) is never stored or logged. */
function anonymousUser(id: string): ChatUser {
  let user = anonymousUsers.get(id);
  if (user === undefined) {
    if (anonymousUsers.size >= REMEMBERED_ANONYMOUS_IDS) anonymousUsers.clear();
    user = `anon-${sha256(id).slice(0, 24)}`;
    anonymousUsers.set(id, user);
  }
  return { id: user, anonymous: true };
}
