export { RedisCache, type RedisCacheOptions } from './redis-cache.js';
