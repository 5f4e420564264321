// Progress on stderr: a live bar on a terminal, a plain line every few seconds otherwise (CI logs).
import cliProgress from 'cli-progress';

export interface ProgressState {
  /** Simulated clock (epoch ms) of the latest signal handed to the sender. */
  clockMs: number;
  /** 0…1 of the work done, when known. */
  fraction: number;
  sent: number;
}

export interface Progress {
  update(state: ProgressState): void;
  stop(): void;
}

const LINE_EVERY_MS = 5_000;

const clock = (ms: number) => (ms > 0 ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '—');

export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const startedMs = now();
  const rate = (sent: number) => Math.round(sent / Math.max(0.001, (now() - startedMs) / 1000));
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | sim {clock} | {sent} signals sent | {rate}/s',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { clock: '—', sent: 0, rate: 0 });
    return {
      update: (s) => bar.update(Math.round(s.fraction * 1000), { clock: clock(s.clockMs), sent: s.sent, rate: rate(s.sent) }),
      stop: () => bar.stop(),
    };
  }
  let lastLineMs = startedMs;
  let latest: ProgressState | undefined;
  const print = (s: ProgressState) =>
    stream.write(`progress: ${Math.round(s.fraction * 100)}% | sim ${clock(s.clockMs)} | ${s.sent} signals sent | ${rate(s.sent)}/s\n`);
  return {
    update: (s) => {
      latest = s;
      if (now() - lastLineMs >= LINE_EVERY_MS) {
        lastLineMs = now();
        print(s);
      }
    },
    stop: () => {
      if (latest) print(latest);
    },
  };
}
