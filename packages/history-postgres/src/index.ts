export * from './postgres-history-store.js';
export { POSTGRES_HISTORY_MIGRATIONS_TABLE } from './postgres-migrations.js';
export { conversations, historyTables, messages } from './schema.js';
