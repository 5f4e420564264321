// One side of bench:compare: a process holding one org of one tree's code (argv: the tree's root, agents,
// round size, batch). Traffic comes from this tree's generator with a fixed seed, so both sides build
// the same state and get the same signals; everything measured (the org, key and id hashes, the warm
// pass's signal classes, the agent keys where it has them) comes from the tree under test. Asked over
// IPC for a round, it applies the next signals and answers how long that took.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Traffic } from './signals.ts';
import { fullGc } from './rounds.ts';
import { preParsedRound, preParsedRunner, type OrgLike } from './pre-parsed.ts';
import type { SignalType } from '../../src/domain/signals.ts';

export interface RoundRequest {
  round: number;
}
export type ChildMessage = { ready: true } | { round: number; ms: number; signals: number } | { error: string };

const [root, agentsArg, sizeArg, batchArg] = process.argv.slice(2);
const AGENTS = Number(agentsArg);
const ROUND_SIZE = Number(sizeArg);
const BATCH = Number(batchArg);
const DAY = 86_400_000;

const load = (path: string) => import(pathToFileURL(join(root, path)).href);

function send(message: ChildMessage): void {
  process.send!(message);
}

async function main(): Promise<void> {
  const [runtime, hashes, state, model, signals] = await Promise.all([
    load('src/engine/org-runtime.ts'),
    load('src/engine/key-hash.ts'),
    load('src/domain/burnout/state.ts'),
    load('src/domain/burnout/index.ts'),
    load('src/domain/signals.ts'),
  ]);
  const keyHash = hashes.keyHash as (key: string) => number;
  const agentKey = hashes.agentKey as ((id: string) => number) | undefined;
  const idHash = state.idHash as (id: string) => number;
  const endsContact = (signals.endsContact as ((type: SignalType) => boolean) | undefined) ?? (() => false);
  const org = new runtime.OrgRuntime(randomUUID(), model.DEFAULT_MODEL_CONFIG) as OrgLike;
  const run = preParsedRunner(runtime, org, BATCH, endsContact);
  // A fixed start, not Date.now(): both sides must generate the very same signals.
  const traffic = new Traffic({ agents: AGENTS, seed: 11, startMs: Date.UTC(2026, 0, 5) - 3 * DAY });
  process.on('message', ({ round }: RoundRequest) => {
    // Round 0 creates every agent and warms the JIT.
    const input = preParsedRound(traffic.next(round === 0 ? Math.max(ROUND_SIZE, 2 * AGENTS) : ROUND_SIZE), keyHash, idHash, agentKey);
    fullGc();
    send({ round, ms: run(input), signals: input.signals.length });
  });
  send({ ready: true });
}

main().catch((error: unknown) => {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
