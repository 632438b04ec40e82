import { connect } from 'node:net';
import { describe } from 'vitest';
import { requireService } from './cache-services.js';

/** A service a history store test may need. */
export type HistoryServiceKind = 'redis' | 'postgres';

const DEFAULT_PORTS: Record<HistoryServiceKind, number> = { redis: 6379, postgres: 5432 };

// What each service answers to a first packet: Redis a RESP line to PING, Postgres 'S' or 'N' to an SSLRequest.
const HELLO: Record<HistoryServiceKind, { send: Buffer; answered(first: number): boolean }> = {
  redis: { send: Buffer.from('PING\r\n'), answered: (first) => first === 0x2b || first === 0x2d },
  postgres: {
    send: Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]),
    answered: (first) => first === 0x53 || first === 0x4e,
  },
};

/** Opens a TCP connection to the service and checks that it answers like one (no client library needed). */
function probe(kind: HistoryServiceKind, url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(port) || DEFAULT_PORTS[kind] });
    socket.once('connect', () => socket.write(HELLO[kind].send));
    socket.once('data', (data) => {
      socket.destroy();
      if (HELLO[kind].answered(data[0])) resolve();
      else reject(new Error(`something answered at ${hostname}:${port}, but not ${kind}`));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/**
 * Whether Redis or Postgres answers at `url`. When it does not, warns loudly and resolves `false` on a developer
 * machine, and throws when `process.env.CI` is set, so CI never passes by skipping.
 * @example
 * const ready = await serviceAvailable('redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 */
export function serviceAvailable(kind: HistoryServiceKind, url: string): Promise<boolean> {
  const { host } = new URL(url);
  const name = kind === 'redis' ? 'Redis' : 'Postgres';
  return requireService(name, () => probe(kind, url), {
    hint: `start ${name} at ${host || 'localhost'} or set ${kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL'}`,
  });
}

/**
 * A `describe` that runs only when the service answers (see {@link serviceAvailable}). Await it at the top level
 * of a test file.
 * @example
 * await describeWithService('postgres', url, 'PostgresHistoryStore', () => { runHistoryConformance({ ... }) });
 */
export async function describeWithService(kind: HistoryServiceKind, url: string, name: string, body: () => void): Promise<void> {
  const ready = await serviceAvailable(kind, url);
  describe.skipIf(!ready)(name, body);
}
