import { AbortError } from './errors.js';

/** Where an exchange pushes its chunks. `push` returns a promise only when the reader is behind (back-pressure). */
export interface ChunkSink<T> {
  push(item: T): void | Promise<void>;
}

/** Chunks a reader may fall behind by before the producer waits for it. */
const HIGH_WATER_MARK = 32;

/**
 * A single-producer, single-reader queue from a running exchange to the stream its caller reads. The exchange runs as
 * plain async code and pushes; the caller's `for await` pulls. One hop per chunk instead of one generator per layer.
 */
export class ChunkChannel<T> implements ChunkSink<T> {
  private readonly queue: T[] = [];
  private reader?: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void };
  private drained?: { promise: Promise<void>; resolve(): void };
  private ended = false;
  private failure?: { error: unknown };
  /** True once the reader stopped early; pushes then fail so the producer unwinds. */
  cancelled = false;
  /** Called once when the reader stops early (aborts the model call). */
  onCancel?: () => void;

  push(item: T): void | Promise<void> {
    if (this.cancelled) throw new AbortError('The caller stopped reading the stream.');
    const reader = this.reader;
    if (reader) {
      this.reader = undefined;
      reader.resolve({ value: item, done: false });
      return;
    }
    this.queue.push(item);
    if (this.queue.length < HIGH_WATER_MARK) return;
    if (!this.drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }

  /** The producer finished (with an error, when it failed). Queued chunks are still read first. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    const reader = this.reader;
    this.reader = undefined;
    if (!reader) return;
    if (this.failure) reader.reject(this.failure.error);
    else reader.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) {
      const value = this.queue.shift()!;
      if (this.drained && this.queue.length < HIGH_WATER_MARK / 2) this.release();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  /** The reader stopped early: drop what is queued, wake a waiting producer and cancel the call. */
  cancel(): void {
    if (this.cancelled || this.ended) return;
    this.cancelled = true;
    this.queue.length = 0;
    this.release();
    this.onCancel?.();
  }

  private release(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.resolve();
  }
}
