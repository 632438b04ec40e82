export * from './sqlite-history-store.js';
export { conversations, messages } from './schema.js';
