/** PIDs of stdio MCP servers still running, killed if this process exits before their connection closes. */
const children = new Set<number>();

function killChildren(): void {
  for (const pid of children) {
    try {
      // SIGTERM lets wrappers such as npx or uvx pass it on to the real server.
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  children.clear();
}

/** Tracks a child process; the first one registers the `process.on('exit')` handler. */
export function trackChildProcess(pid: number): void {
  if (children.size === 0) process.on('exit', killChildren);
  children.add(pid);
}

/** Stops tracking a child process; the last one removes the `exit` handler. */
export function untrackChildProcess(pid: number): void {
  if (!children.delete(pid)) return;
  if (children.size === 0) process.off('exit', killChildren);
}

/** The PIDs currently tracked (for diagnostics and tests). */
export function trackedChildProcesses(): number[] {
  return [...children];
}
