import type { Cluster, Redis, RedisOptions } from 'ioredis';

const SCAN_COUNT = 500;

/** Whether a client is an ioredis Cluster (by its flag, so a second copy of ioredis is recognized too). */
export function isCluster(client: Redis | Cluster): client is Cluster {
  return client.isCluster === true;
}

/** `host:port` (or the socket path) of a URL or client options, never the password. */
export function describeRedisTarget(target: string | RedisOptions): string {
  if (typeof target !== 'string') return target.path ?? `${target.host ?? '127.0.0.1'}:${target.port ?? 6379}`;
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.hostname}:${url.port || 6379}`;
  } catch {
    return '(an unparsable url)';
  }
}

/** `prefix` as a SCAN MATCH pattern that matches it literally, followed by anything. */
export function matchPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/**
 * Runs `visit` over every batch of keys under `prefix`, with the node that holds them: the client itself, or each
 * master of a Cluster (SCAN only sees the keys of the node it runs on).
 */
export async function scanKeys(client: Redis | Cluster, prefix: string, visit: (node: Redis, keys: string[]) => Promise<void>): Promise<void> {
  let nodes: Redis[];
  if (isCluster(client)) {
    // Any command waits for the slot map; then every master is known.
    if (client.status !== 'ready') await client.ping();
    nodes = client.nodes('master');
  } else nodes = [client];
  const pattern = matchPattern(prefix);
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      // MATCH is a glob; the literal check guards against a server that reads the escapes differently.
      const mine = keys.filter((key) => key.startsWith(prefix));
      if (mine.length > 0) await visit(node, mine);
    } while (cursor !== '0');
  }
}
