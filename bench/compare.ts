// `npm run bench:compare -- --ref <commit>`: the engine's pre-parsed path (bench:engine's first figure)
// of the working tree against the code of an earlier commit, in alternating rounds of the same signals.
//
// Why a tool of its own: the machines are shared and their speed drifts by ±15 % between runs, so a
// change of a few percent shows only when both versions run at the same moments. Each version runs in
// a process of its own (one org, as in the server), and the rounds alternate which goes first. Each
// process's code is optimised and laid out in memory its own way, which shifts a pair's ratio by a few
// percent even between identical versions (a single pair up to ±10 %): `--control` runs the working
// tree against itself to show that spread, and `--pairs` (4) repeats the whole comparison in fresh
// processes; the answer is the median over every round of every pair (within ~1 % for the control).
//
// The earlier commit is checked out in a temporary git worktree (removed at the end) that shares this
// tree's node_modules. Last line: one JSON object {"ref", "commit", "agents", "rounds", "pairs",
// "headPerSec", "basePerSec", "speedup", "pairSpeedups"}; speedup > 1: the working tree is faster.
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, median, perSec } from './lib/rounds.ts';
import type { ChildMessage } from './lib/compare-child.ts';

const { values: args } = parseArgs({
  options: {
    ref: { type: 'string', default: 'HEAD' },
    control: { type: 'boolean', default: false },
    agents: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '12' },
    'round-size': { type: 'string', default: '300000' },
    pairs: { type: 'string', default: '4' },
    batch: { type: 'string', default: '5000' },
  },
});
const positive = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (Number.isInteger(value) && value >= 1) return value;
  process.stderr.write(`bench:compare: --${name} must be a positive integer, not ${args[name]}\n`);
  process.exit(2);
};
const AGENTS = positive('agents');
const ROUNDS = positive('rounds');
const ROUND_SIZE = positive('round-size');
const PAIRS = positive('pairs');
const BATCH = positive('batch');
const HERE = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CHILD = fileURLToPath(new URL('./lib/compare-child.ts', import.meta.url));
const log = (line: string) => process.stderr.write(line + '\n');
const git = (...gitArgs: string[]): string => execFileSync('git', gitArgs, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function commitOf(ref: string): string {
  try {
    return git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new Error(`--ref ${ref} is not a commit of this repository (git rev-parse found none)`);
  }
}

/** A tree of `commit`'s files in a temp dir, with this tree's node_modules; `remove` takes it away. */
function checkout(commit: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'respite-compare-'));
  git('worktree', 'add', '--detach', '--quiet', root, commit);
  symlinkSync(join(HERE, 'node_modules'), join(root, 'node_modules'), 'dir');
  return {
    root,
    remove: () => {
      git('worktree', 'remove', '--force', root);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** One side: a child process holding one org of the tree at `root`. */
class Side {
  private readonly child: ChildProcess;
  private waiting: ((message: ChildMessage) => void) | undefined;
  private readonly ready: Promise<void>;

  constructor(readonly name: string, root: string) {
    this.child = fork(CHILD, [root, String(AGENTS), String(ROUND_SIZE), String(BATCH)], { execArgv: ['--expose-gc', '--import', 'tsx'] });
    this.ready = new Promise((resolveReady, reject) => {
      this.child.on('message', (message: ChildMessage) => {
        if ('error' in message) reject(new Error(`${name}: ${message.error}`));
        else if ('ready' in message) resolveReady();
        else this.waiting?.(message);
      });
      this.child.on('exit', (code, signal) => {
        const error = `exited (${code ?? signal})`;
        reject(new Error(`${name}: ${error}`));
        this.waiting?.({ error });
      });
    });
    // Awaited by the first round; handled here so that a child failing before then is not an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Applies the next round; its rate (signals/s). */
  async round(round: number): Promise<number> {
    await this.ready;
    const answer = new Promise<ChildMessage>((done) => (this.waiting = done));
    this.child.send({ round });
    const message = await answer;
    this.waiting = undefined;
    if (!('ms' in message)) throw new Error(`${this.name}: ${'error' in message ? message.error : `unexpected answer ${JSON.stringify(message)}`}`);
    return perSec(message.signals, message.ms);
  }

  stop(): void {
    this.waiting = undefined;
    this.child.kill();
  }
}

async function comparePair(pair: number, baseRoot: string): Promise<{ head: number[]; base: number[]; speedups: number[] }> {
  const head = new Side('working tree', HERE);
  const base = new Side(args.control ? 'working tree (control)' : args.ref!, baseRoot);
  const rates = { head: [] as number[], base: [] as number[], speedups: [] as number[] };
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      // Alternate which side goes first (and start each pair the other way round from the last).
      const headFirst = (round + pair) % 2 === 0;
      const order = headFirst ? [head, base] : [base, head];
      const [first, second] = [await order[0].round(round), await order[1].round(round)];
      const [headRate, baseRate] = headFirst ? [first, second] : [second, first];
      if (round === 0) {
        log(`pair ${pair}/${PAIRS}: ${fmt(AGENTS)} agents created, code warmed`);
        continue;
      }
      rates.head.push(headRate);
      rates.base.push(baseRate);
      rates.speedups.push(headRate / baseRate);
      log(`pair ${pair}/${PAIRS} round ${round}/${ROUNDS}: working tree ${fmt(headRate)}/s, base ${fmt(baseRate)}/s, ${(headRate / baseRate).toFixed(3)}×`);
    }
  } finally {
    head.stop();
    base.stop();
  }
  return rates;
}

async function main(): Promise<void> {
  const commit = args.control ? undefined : commitOf(args.ref!);
  const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length;
  log(`working tree (${changed} changed files) against ${args.control ? 'itself (control)' : `${args.ref} (${commit!.slice(0, 10)})`}`);
  log(`${fmt(AGENTS)} agents, ${PAIRS} pair(s) of processes, ${ROUNDS} rounds of ${fmt(ROUND_SIZE)} signals each`);
  const tree = commit === undefined ? undefined : checkout(commit);
  const stopOnSignal = () => {
    tree?.remove();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const all = { head: [] as number[], base: [] as number[], speedups: [] as number[] };
  const pairSpeedups: number[] = [];
  try {
    for (let pair = 1; pair <= PAIRS; pair++) {
      const rates = await comparePair(pair, tree?.root ?? HERE);
      all.head.push(...rates.head);
      all.base.push(...rates.base);
      all.speedups.push(...rates.speedups);
      pairSpeedups.push(Number(median(rates.speedups).toFixed(3)));
      log(`pair ${pair}/${PAIRS}: median ${median(rates.speedups).toFixed(3)}×`);
    }
  } finally {
    tree?.remove();
  }
  const speedup = median(all.speedups);
  log(`median over ${all.speedups.length} rounds: working tree ${fmt(median(all.head))}/s, base ${fmt(median(all.base))}/s, speed-up ${speedup.toFixed(3)}× (pairs: ${pairSpeedups.map((s) => `${s}×`).join(', ')})`);
  console.log(
    JSON.stringify({
      ref: args.control ? 'control' : args.ref,
      commit: commit ?? null,
      agents: AGENTS,
      rounds: ROUNDS,
      pairs: PAIRS,
      headPerSec: median(all.head),
      basePerSec: median(all.base),
      speedup: Number(speedup.toFixed(3)),
      pairSpeedups,
    }),
  );
}

main().catch((error: unknown) => {
  log(`bench:compare: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
