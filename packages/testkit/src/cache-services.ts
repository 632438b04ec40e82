/** Options of {@link requireService}. */
export interface RequireServiceOptions {
  /** How long the probe may take before the service counts as unreachable. default 3000 ms */
  timeoutMs?: number;
  /** What to do to make the service reachable, appended to the warning, e.g. `start Redis on 127.0.0.1:6379`. */
  hint?: string;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Probes a service a test file needs (Redis, Postgres...). Resolves `true` when the probe succeeds. When it fails,
 * it warns loudly and resolves `false` on a developer machine, and throws when `process.env.CI` is set, so CI
 * never passes by skipping. Use the result with `describe.skipIf(!ready)`.
 * @example
 * const ready = await requireService('Redis', () => new Redis(url, { lazyConnect: true }).ping());
 * describe.skipIf(!ready)('RedisCache', () => { ... });
 */
export async function requireService(name: string, probe: () => Promise<unknown>, options: RequireServiceOptions = {}): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 3000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return true;
  } catch (error) {
    const reason = `${name} is unreachable (${describeFailure(error)})${options.hint ? `: ${options.hint}` : ''}`;
    if (process.env.CI) throw new Error(`${reason}. CI is set, so tests that need ${name} fail instead of skipping.`);
    console.warn(`\n⚠️  SKIPPING the tests that need ${name}: ${reason}. Set CI=1 to make this a failure.\n`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
