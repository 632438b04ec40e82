export * from './redis-history-store.js';
export { DEFAULT_REDIS_HISTORY_PREFIX, redisHistoryKeys, type RedisHistoryKeys } from './redis-history-keys.js';
