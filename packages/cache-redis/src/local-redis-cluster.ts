import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

// Test fixture only (not exported from the package): the Cluster tests need a real cluster, never the shared Redis.

/** A throwaway Redis Cluster of `redis-server` processes on loopback. */
export interface LocalRedisCluster {
  /** The client ports of the masters. */
  ports: number[];
  /** Stops the processes this fixture started and removes their folder. */
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** A free loopback port (test fixtures). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function startServer(folder: string, port: number, busPort: number): Promise<ChildProcess> {
  const args = ['--port', port, '--cluster-port', busPort, '--cluster-enabled', 'yes', '--cluster-config-file', join(folder, `nodes-${port}.conf`),
    '--cluster-node-timeout', 2000, '--dir', folder, '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--protected-mode', 'no'];
  const child = spawn('redis-server', args.map(String), { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject); // ENOENT: redis-server is not installed
    child.once('spawn', () => resolve(child));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`local Redis Cluster: ${what} did not happen within ${timeoutMs} ms`);
}

/**
 * Starts `masters` cluster-enabled `redis-server` processes on free ports, splits the slots between them, joins
 * them and waits for `cluster_state:ok`. Rejects when `redis-server` is not installed.
 */
export async function startLocalRedisCluster(masters = 2): Promise<LocalRedisCluster> {
  const folder = await mkdtemp(join(tmpdir(), 'llm-redis-cluster-'));
  const processes: ChildProcess[] = [];
  const admins: Redis[] = [];
  const stop = async (): Promise<void> => {
    admins.forEach((admin) => admin.disconnect());
    await Promise.all(processes.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await rm(folder, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    const busPorts: number[] = [];
    for (let index = 0; index < masters; index += 1) {
      ports.push(await freePort());
      busPorts.push(await freePort());
      processes.push(await startServer(folder, ports[index], busPorts[index]));
      const admin = new Redis(ports[index], '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
      admin.on('error', () => undefined);
      admins.push(admin);
    }
    await until('start-up', async () => (await Promise.all(admins.map((admin) => admin.ping()))).every((reply) => reply === 'PONG'));
    const share = Math.ceil(SLOTS / masters);
    for (const [index, admin] of admins.entries()) {
      await admin.call('CLUSTER', 'ADDSLOTSRANGE', index * share, Math.min(SLOTS, (index + 1) * share) - 1);
      if (index > 0) await admins[0].call('CLUSTER', 'MEET', '127.0.0.1', ports[index], busPorts[index]);
    }
    await until('cluster_state:ok', async () => {
      const infos = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO')));
      return infos.every((info) => String(info).includes('cluster_state:ok') && String(info).includes(`cluster_known_nodes:${masters}`));
    });
    return { ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
