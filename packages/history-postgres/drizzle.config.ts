import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (in this folder) writes the migrations shipped in ./drizzle.
export default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts', out: './drizzle' });
