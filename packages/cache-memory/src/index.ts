export { MemoryCache, type MemoryCacheOptions } from './memory-cache.js';
