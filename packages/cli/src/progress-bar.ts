import type { CliOutput } from './cli-io.js';

/** Progress of a batch job. */
export interface Progress {
  /** `done` of `total` items finished. */
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

/**
 * A progress bar with rate and time left on `out` when it is a TTY (cli-progress); nothing when it is not.
 * @example const bar = await createProgress(io.stderr, 'embedding', 120, 20); bar.update(40); bar.stop();
 */
export async function createProgress(out: CliOutput, label: string, total: number, alreadyDone = 0): Promise<Progress> {
  if (!out.isTTY || total === 0) return NO_PROGRESS;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({
    stream: out,
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | {duration_formatted} elapsed | {eta_formatted} left`,
    hideCursor: true,
    // The rate and ETA count only this run's rows, not the ones resumed from an earlier run.
    progressCalculationRelative: true,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  bar.start(total, alreadyDone, { rate: '0.0' });
  return {
    update(done) {
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? ((done - alreadyDone) / seconds).toFixed(1) : '0.0' });
    },
    stop: () => bar.stop(),
  };
}
