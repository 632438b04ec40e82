import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { SESSION_ID_PATTERN } from './api-schemas.js';

/** The folder of the chat page (`public/` next to `src/` and `dist/`). */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * The chat page's Content-Security-Policy: scripts and styles only from this origin, no inline script, no
 * plugins, no framing. A model answer that smuggles `<script>` into the DOM could not run even if it got there.
 */
export const PAGE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
};

const SECURITY_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The chat page: `/` and `/chat/:conversationId` (and `/<bot>`, `/<bot>/:conversationId` for each extra
 * consumer), plus its assets under `/assets/`. Plain files read once at start; no build step.
 */
export async function pageRoutes(app: FastifyInstance, options: { bots: string[] }): Promise<void> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(PUBLIC_DIR)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(PUBLIC_DIR, name)), type });
  }
  const page = assets.get('index.html');
  if (!page) throw new Error(`The chat page is missing: ${join(PUBLIC_DIR, 'index.html')} was not found.`);

  const sendPage = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.headers({ ...SECURITY_HEADERS, 'content-type': page.type, 'cache-control': 'no-store' }).send(page.body);
  const pageSchema = { hide: true };
  const idParams = { type: 'object', properties: { conversationId: { type: 'string', pattern: SESSION_ID_PATTERN } } };

  app.get('/', { schema: pageSchema }, sendPage);
  for (const base of ['chat', ...options.bots]) {
    if (base !== 'chat') app.get(`/${base}`, { schema: pageSchema }, sendPage);
    app.get(`/${base}/:conversationId`, { schema: { ...pageSchema, params: idParams } }, sendPage);
  }

  app.get('/assets/:name', { schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9-]+\\.(?:js|css|svg)$' } } } } }, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'No such asset.' });
    return reply.headers({ ...SECURITY_HEADERS, 'content-type': asset.type, 'cache-control': 'no-cache' }).send(asset.body);
  });
}
