import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Sql } from 'postgres';

/** The table (inside the store's schema) recording applied migrations, in drizzle's journal format. */
export const POSTGRES_HISTORY_MIGRATIONS_TABLE = '__llm_history_migrations';

// Resolves to the package's drizzle/ folder from src/ (tests) and from dist/ (published).
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

// First key of the advisory lock ('LLMH'); the second is the schema name's hash.
const LOCK_CLASS = 0x4c4c4d48;

/**
 * Applies the shipped drizzle-kit migrations to `schema`, once, even when many processes start at the same time.
 *
 * drizzle's own `migrate()` takes no lock and cannot set a schema, so this applies the same files (read with
 * drizzle's `readMigrationFiles`) and keeps drizzle's journal format, in ONE transaction that holds
 * `pg_advisory_xact_lock` for the schema and sets `search_path` to it: a second process waits for the first,
 * then finds the journal up to date. Catalog checks (not `IF NOT EXISTS`) keep the client free of notices.
 */
export async function applyHistoryMigrations(client: Sql, schema: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  await client.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${schema}))`;
    const [namespace] = await tx`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`;
    if (!namespace) await tx`CREATE SCHEMA ${tx(schema)}`;
    await tx`SELECT set_config('search_path', quote_ident(${schema}), true)`;
    const [journal] = await tx`SELECT to_regclass(quote_ident(${schema}) || '.' || quote_ident(${POSTGRES_HISTORY_MIGRATIONS_TABLE})) AS oid`;
    if (!journal?.oid) {
      await tx`CREATE TABLE ${tx(schema)}.${tx(POSTGRES_HISTORY_MIGRATIONS_TABLE)} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`;
    }
    const [last] = await tx`SELECT created_at FROM ${tx(schema)}.${tx(POSTGRES_HISTORY_MIGRATIONS_TABLE)} ORDER BY created_at DESC LIMIT 1`;
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) await tx.unsafe(statement);
      await tx`INSERT INTO ${tx(schema)}.${tx(POSTGRES_HISTORY_MIGRATIONS_TABLE)} (hash, created_at) VALUES (${migration.hash}, ${migration.folderMillis})`;
    }
  });
}
