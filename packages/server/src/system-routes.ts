import { loadProvider, routeModel } from '@llm/core';
import type { FastifyInstance } from 'fastify';
import { healthSchema, modelsSchema } from './api-schemas.js';
import { hasProviderKey } from './model-selection.js';

/** What `/api/models` says about one model. */
export interface ModelReport {
  name: string;
  provider: string;
  role: 'primary' | 'fallback' | 'available';
  keySet: boolean;
  installed: boolean;
  status: 'ok' | 'failing' | 'unknown' | 'unavailable';
  lastError?: string;
}

async function isInstalled(model: string): Promise<boolean> {
  try {
    await loadProvider(routeModel(model));
    return true;
  } catch {
    return false;
  }
}

/** `/health`, `/metrics` (Prometheus text) and `/api/models` (what is configured and whether it answers). */
export async function systemRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.llm;

  app.get('/health', { schema: healthSchema }, async (_request, reply) => {
    const ok = await ctx.sessions.store.ping();
    const status = ctx.closing ? 'shutting-down' : ok ? 'ok' : 'degraded';
    return reply.code(ctx.closing ? 503 : 200).send({
      status, uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 100) / 10, model: ctx.config.models.model,
      sessions: { kind: ctx.sessions.store.kind, ok }, history: ctx.sessions.history.description, anonymous: ctx.config.anonymous,
    });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.render());
  });

  app.get('/api/models', { schema: modelsSchema }, async () => {
    const { model, fallbacks } = ctx.config.models;
    const models: ModelReport[] = await Promise.all(
      ctx.engine.allowedModels.map(async (name): Promise<ModelReport> => {
        const provider = routeModel(name).provider;
        const keySet = hasProviderKey(name, ctx.env);
        const installed = await isInstalled(name);
        const { lastOk, lastError } = ctx.engine.modelStatus(name);
        const failing = lastError && (!lastOk || lastError.at > lastOk);
        const status = provider === 'mock' ? 'ok' : !keySet || !installed ? 'unavailable' : failing ? 'failing' : lastOk ? 'ok' : 'unknown';
        const role = name === model ? 'primary' : fallbacks.includes(name) ? 'fallback' : 'available';
        return { name, provider, role, keySet, installed, status, ...(failing ? { lastError: lastError.message } : {}) };
      }),
    );
    return { model, fallbacks, mock: routeModel(model).provider === 'mock', models, tools: ctx.tools.describe() };
  });
}
