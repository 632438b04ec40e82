export { SqliteCache, type SqliteCacheOptions } from './sqlite-cache.js';
