import type { ServerMetrics } from './server-metrics.js';

/** A registered open stream: call `close()` when it ends. */
export interface TrackedStream {
  close(): void;
}

interface Entry {
  kind: string;
  /** Ends the stream now (shutdown deadline reached). */
  abort(reason: string): void;
  /** Whether the stream is between turns and may be closed at once. */
  idle(): boolean;
}

/**
 * Knows every open SSE stream and WebSocket, so shutdown can wait for them (up to a deadline) and then end the
 * rest; feeds the `llm_server_open_streams` gauge.
 */
export class StreamTracker {
  private readonly entries = new Set<Entry>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly metrics: ServerMetrics) {}

  /** How many streams are open. */
  get size(): number {
    return this.entries.size;
  }

  /** Registers a stream. `idle` says whether it may be closed at once on shutdown (a socket between turns). */
  open(kind: string, abort: (reason: string) => void, idle: () => boolean = () => false): TrackedStream {
    const entry: Entry = { kind, abort, idle };
    this.entries.add(entry);
    this.metrics.openStreams.add([kind], 1);
    let closed = false;
    return {
      close: () => {
        if (closed) return;
        closed = true;
        this.entries.delete(entry);
        this.metrics.openStreams.add([kind], -1);
        for (const wake of this.waiters) wake();
      },
    };
  }

  private async waitForEmpty(deadline: number): Promise<boolean> {
    while (this.entries.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
      this.waiters.clear();
    }
    return true;
  }

  /**
   * Shutdown: ends idle streams now, lets busy ones finish until `timeoutMs`, then aborts the rest and waits a
   * moment for them to close.
   */
  async drain(timeoutMs: number): Promise<void> {
    for (const entry of [...this.entries]) if (entry.idle()) entry.abort('shutdown');
    if (await this.waitForEmpty(Date.now() + timeoutMs)) return;
    for (const entry of [...this.entries]) entry.abort('shutdown');
    await this.waitForEmpty(Date.now() + 1000);
  }
}
