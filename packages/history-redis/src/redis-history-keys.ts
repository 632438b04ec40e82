/** The Redis keys of one session and of its user's session index. */
export interface RedisHistoryKeys {
  /** List of the session's messages (JSON), oldest first. */
  messages: string;
  /** Hash of the session's title, creation time and usage sums. */
  meta: string;
  /** Sorted set of the user's session ids, scored by last activity (ms). */
  sessions: string;
}

/** The default key prefix. */
export const DEFAULT_REDIS_HISTORY_PREFIX = 'llm:history:';

/**
 * The keys for a user and session: `${prefix}${userId}:${sessionId}` with both ids percent-encoded, so a ':' (or
 * '#') inside an id can never make one user's key equal another's. The '#' suffixes cannot occur in an encoded id.
 * @example
 * redisHistoryKeys('llm:history:', 'a:b', 'c').messages // 'llm:history:a%3Ab:c'
 */
export function redisHistoryKeys(prefix: string, userId: string, sessionId: string): RedisHistoryKeys {
  const user = `${prefix}${encodeURIComponent(userId)}`;
  const session = `${user}:${encodeURIComponent(sessionId)}`;
  return { messages: session, meta: `${session}#meta`, sessions: `${user}#sessions` };
}

/**
 * Trims a session list to its newest ARGV[1] messages, then drops older messages until the list starts with a user
 * message (the start of an exchange), so a tool result never loses its call. When the newest exchange alone is
 * longer than the limit it is kept whole. Elements are `messageToJSON` output, whose first key is `role`.
 */
export const TRIM_TO_EXCHANGES_LUA = `
local max = tonumber(ARGV[1])
local len = redis.call('LLEN', KEYS[1])
if len <= max then return 0 end
local function isUser(index)
  return string.find(redis.call('LINDEX', KEYS[1], index), '^{"role":"user"') ~= nil
end
local start = nil
for i = len - max, len - 1 do
  if isUser(i) then start = i break end
end
if start == nil then
  for i = len - max - 1, 0, -1 do
    if isUser(i) then start = i break end
  end
end
if start == nil or start == 0 then return 0 end
redis.call('LTRIM', KEYS[1], start, -1)
return start
`;
