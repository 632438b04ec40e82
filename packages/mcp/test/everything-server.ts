import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The entry script of @modelcontextprotocol/server-everything (its `mcp-server-everything` bin). */
export const everythingServerScript = path.join(
  path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  (require('@modelcontextprotocol/server-everything/package.json') as { bin: Record<string, string> }).bin['mcp-server-everything'],
);

/** The folder of this package's test fixtures. */
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Fails loudly when the built package the stdio fixtures import is missing. */
export function requireBuiltPackage(): void {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  if (!existsSync(dist)) throw new Error(`The stdio fixtures import ${dist}: run \`pnpm --filter @llm/mcp build\` first (the root \`pnpm test\` does).`);
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A server-everything process in an HTTP mode, listening on a loopback port. */
export interface RunningHttpServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts server-everything in 'streamableHttp' or 'sse' mode and waits until it listens. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<RunningHttpServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingServerScript, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start: ${output}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on port|running on port/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything ${mode} exited with ${code}: ${output}`));
    });
  });
  return {
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Whether a process is alive (`process.kill(pid, 0)` throws ESRCH once it is gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Waits until a process is gone, up to `ms`. */
export async function waitUntilGone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** A logger that records what it is given. */
export function recordingLogger(): { warnings: string[]; debug(): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    warn: (obj, msg) => void warnings.push(msg ?? String(obj)),
    error: (obj, msg) => void warnings.push(msg ?? String(obj)),
  };
}

/** The live child processes of this process (Linux /proc), with their command lines. */
export function childProcesses(): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
      children.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // exited while reading
    }
  }
  return children;
}
