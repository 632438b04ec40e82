import type { HistoryStore } from '@llm/core';
import { MemoryHistoryStore } from '@llm/history-memory';
import { PostgresHistoryStore } from '@llm/history-postgres';
import { SqliteHistoryStore } from '@llm/history-sqlite';
import type { HistoryBackend, HistoryOption } from './server-options.js';

/** The binding of the root store that only hands out per-session stores. */
const ROOT = { userId: '_server', sessionId: '_root' };

interface RootStore extends HistoryStore {
  forSession(binding: { userId: string; sessionId: string }): HistoryStore;
  close(): Promise<void>;
}

function backend(root: RootStore, description: string): HistoryBackend {
  return {
    description,
    forSession: (binding) => root.forSession(binding),
    close: () => root.close(),
  };
}

function hideCredentials(url: string): string {
  return url.replace(/\/\/([^/\s:@]*):[^@\s/]*@/, '//$1:[redacted]@');
}

/**
 * Opens the permanent history: SQLite (a file), Postgres (a pool), memory, or a given backend. One connection
 * for the whole server; each request gets a store bound to its user and session.
 * @example const history = openHistoryBackend({ type: 'sqlite', path: './data/llm.sqlite' });
 */
export function openHistoryBackend(option: HistoryOption): HistoryBackend {
  if (!('type' in option)) return option;
  switch (option.type) {
    case 'postgres': {
      const root = new PostgresHistoryStore({ ...ROOT, ...(option.url ? { url: option.url } : {}), ...(option.schema ? { schema: option.schema } : {}) });
      const where = option.url ?? process.env.DATABASE_URL ?? 'postgres';
      return backend(root, `postgres ${hideCredentials(where)}${option.schema ? ` (schema ${option.schema})` : ''}`);
    }
    case 'memory':
      return backend(new MemoryHistoryStore({ ...ROOT }), 'memory (lost on restart)');
    case 'sqlite': {
      const root = new SqliteHistoryStore({ ...ROOT, ...(option.path ? { path: option.path } : {}) });
      return backend(root, `sqlite ${root.path}`);
    }
  }
}
