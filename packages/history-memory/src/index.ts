export * from './memory-history-store.js';
