import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (in this folder) writes the migrations shipped in ./drizzle.
export default defineConfig({ dialect: 'sqlite', schema: './src/schema.ts', out: './drizzle' });
