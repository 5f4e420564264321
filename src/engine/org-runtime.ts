// One organization's live state: its agents' model states, baselines and model config. `apply` is the
// single way an input changes that state — used live and when replaying the log after a restart.
import {
  applyBreak,
  applySignal,
  createAgentState,
  indexAt,
  levelAt,
  withDefaults,
  Baselines,
  type AgentModelState,
  type BaselinesJSON,
  type IndexView,
  type Level,
  type ModelConfig,
  type StepOutput,
} from '../domain/burnout/index.ts';
import type { NewEvent } from '../domain/events.ts';
import type { EngineInput } from './inputs.ts';
import { agentKey } from './key-hash.ts';
import { emptyRing, KEY_PAIRS_LENGTH, pairsOf, rememberKey, ringOf, seenKey, type KeyRing } from './key-ring.ts';

/**
 * From this many agents an org's state outgrows the CPU's caches, and a batch is applied in runs of
 * WARM_RUN signals, each run's agents warmed first (OrgRuntime.warm). Below it, warming costs more than
 * it saves: everything is in the caches already.
 */
export const WARM_FROM_AGENTS = 20_000;
export const WARM_RUN = 64;

/**
 * A run of a batch's agents for OrgRuntime.warmRun, filled by the caller (up to WARM_RUN): their ids, agent
 * keys, and 1 where the signal may end a contact; warmRun answers their runtimes.
 */
export interface WarmRunInput {
  count: number;
  ids: string[];
  keys: Float64Array;
  ends: Uint8Array;
  runtimes: (AgentRuntime | undefined)[];
}

/** An empty WarmRunInput of WARM_RUN places. */
export const warmRunInput = (): WarmRunInput => ({
  count: 0,
  ids: new Array<string>(WARM_RUN).fill(''),
  keys: new Float64Array(WARM_RUN),
  ends: new Uint8Array(WARM_RUN),
  runtimes: new Array<AgentRuntime | undefined>(WARM_RUN).fill(undefined),
});

/** Lets go of a run's ids and runtimes (an agent may be forgotten before the next batch). */
export function clearWarmRun(run: WarmRunInput): void {
  run.ids.fill('');
  run.runtimes.fill(undefined);
  run.count = 0;
}

/** An agent's live state; its recent idempotency keys are the KeyRing fields (key-ring.ts). */
export interface AgentRuntime extends KeyRing {
  m: AgentModelState;
  /** What the agent is doing, for the read model. */
  activity: string;
  /** The number of the last snapshot that captured this agent (or was open when it appeared): see AgentCapture. */
  sn: number;
  /** The agent's id: the string object the org's map holds it by. */
  id: string;
}

/** A snapshot being taken of an org (snapshot-codec.ts): it must capture an agent before the agent changes. */
export interface AgentCapture {
  readonly id: number;
  capture(agentId: string, runtime: AgentRuntime): void;
}

/** The org as JSON: the snapshot format before the binary one (still read), and a comparable view of the state. */
export interface OrgSnapshot {
  agents: [string, Omit<AgentRuntime, 'sn' | 'id'>][];
  baselines: BaselinesJSON;
  modelConfig: ModelConfig;
}

const LEVEL_RANK: Record<Level, number> = { low: 0, moderate: 1, high: 2, critical: 3 };

const ACTIVITY: Record<string, string> = {
  'task.offered': 'ringing',
  'task.connected': 'handling',
  'task.resumed': 'handling',
  'task.held': 'on-hold',
  'task.ended': 'wrap-up',
  'task.transferred': 'wrap-up',
  'task.wrapup_done': 'available',
};

export class OrgRuntime {
  private readonly runtimes = new Map<string, AgentRuntime>();
  /** Every agent by id. Changed only by agent(), adopt() and forget(), which keep `byKey` in step. */
  readonly agents: ReadonlyMap<string, AgentRuntime> = this.runtimes;
  /**
   * Agents by agentKey (key-hash.ts), which the intake computes for each signal: the engine's thread finds
   * an agent without hashing the id string (find). The first agent of a key holds it; another agent
   * with the same key (~5 in 100,000) is found through `agents`.
   */
  private readonly byKey = new Map<number, AgentRuntime>();
  baselines = new Baselines();
  /** The snapshot being taken of this org, if any: every agent it has not captured yet is captured before it changes. */
  cut: AgentCapture | null = null;

  /** The org's model constants; one saved before a setting existed (in a snapshot or the log) gets its default. */
  modelConfig: ModelConfig;
  /** Where warm's loads go, so that the compiler keeps them. */
  private warmth = 0;

  constructor(
    readonly orgId: string,
    modelConfig: ModelConfig,
  ) {
    this.modelConfig = withDefaults(modelConfig);
  }

  static restore(orgId: string, snap: OrgSnapshot): OrgRuntime {
    const org = new OrgRuntime(orgId, snap.modelConfig);
    for (const [agentId, runtime] of snap.agents) org.adopt(withRing(agentId, runtime));
    org.baselines = Baselines.fromJSON(snap.baselines);
    return org;
  }

  snapshot(): OrgSnapshot {
    const agents: OrgSnapshot['agents'] = [];
    for (const [agentId, r] of this.runtimes) agents.push([agentId, { m: r.m, ring: pairsOf(r.ring), kp: r.kp, fw: r.fw, activity: r.activity }]);
    return { agents, baselines: this.baselines.toJSON(), modelConfig: this.modelConfig };
  }

  /** The agent's runtime, created if new; `known`: what `agents.get(agentId)` gave, when the caller looked it up already. */
  agent(agentId: string, time: number, known = this.runtimes.get(agentId)): AgentRuntime {
    let runtime = known;
    if (!runtime) {
      // Not in an open snapshot, which holds the org as it was before this agent appeared.
      runtime = { m: createAgentState(time), ring: emptyRing(), kp: 0, fw: 0, activity: 'unknown', sn: this.cut?.id ?? 0, id: agentId };
      this.adopt(runtime);
    } else if (this.cut !== null && runtime.sn !== this.cut.id) {
      this.cut.capture(agentId, runtime);
    }
    return runtime;
  }

  /** Adds an agent's runtime (new, or restored from a snapshot) under its id, in place of any it had. */
  adopt(runtime: AgentRuntime): void {
    this.runtimes.set(runtime.id, runtime);
    const key = agentKey(runtime.id);
    const holder = this.byKey.get(key);
    if (holder === undefined || holder.id === runtime.id) this.byKey.set(key, runtime);
  }

  /** The agent's runtime, or undefined; `key`: agentKey(agentId), computed by the intake. */
  find(agentId: string, key: number): AgentRuntime | undefined {
    return this.confirmed(this.byKey.get(key), agentId);
  }

  /** `holder`, the agent a key led to, if it is `agentId`; else (a new agent, or another agent holds the key) `agentId`'s runtime by id. */
  private confirmed(holder: AgentRuntime | undefined, agentId: string): AgentRuntime | undefined {
    return holder !== undefined && holder.id === agentId ? holder : this.runtimes.get(agentId);
  }

  /** Whether each run of a batch's agents is warmed before it is applied: from WARM_FROM_AGENTS agents on. */
  warmsRuns(): boolean {
    return this.agents.size >= WARM_FROM_AGENTS;
  }

  /**
   * Reads the state of a run's agents without changing it, and answers their runtimes in
   * `run.runtimes` (undefined for an agent not there yet), so that applying the run need not look them
   * up again. At 100,000 agents each signal's lookup and state miss the CPU's caches (and, on a VM, its
   * TLB), and inside `apply` every miss waits behind the previous signal's work. Here the run is read
   * level by level: each pass loads one link of every agent's chain (map entry, runtime and id, ring
   * and state objects, their elements), which do not depend on each other, so the CPU has the whole
   * run's misses of a level in flight at once; one agent at a time, each chain was walked in turn,
   * overlapped only as far as the CPU's reorder window reaches (level by level: 1.11–1.14× in paired
   * rounds). A run, not a whole batch: a batch's agents would push each other out of the caches again
   * before they are applied (a whole-batch pass gained nothing: docs/performance.md).
   */
  warmRun(run: WarmRunInput): void {
    const { count, ids, keys, ends, runtimes } = run;
    const byKey = this.byKey;
    let warmth = 0;
    for (let j = 0; j < count; j++) runtimes[j] = byKey.get(keys[j]);
    for (let j = 0; j < count; j++) {
      const runtime = runtimes[j];
      if (runtime !== undefined) warmth += runtime.kp + runtime.id.length;
    }
    for (let j = 0; j < count; j++) runtimes[j] = this.confirmed(runtimes[j], ids[j]);
    for (let j = 0; j < count; j++) {
      const runtime = runtimes[j];
      if (runtime !== undefined) warmth += runtime.ring.length + runtime.m.d.length;
    }
    // The ring's pair `rememberKey` writes next, and both ends of the key fingerprints every signal reads
    // after the pairs (they span two cache lines: warming the second too, Engine.applyIntake took
    // 0.89–0.99× the time, five runs); both ends of the state array.
    for (let j = 0; j < count; j++) {
      const runtime = runtimes[j];
      if (runtime === undefined) continue;
      const ring = runtime.ring;
      const d = runtime.m.d;
      warmth += ring[2 * runtime.kp] + ring[KEY_PAIRS_LENGTH] + ring[ring.length - 1] + d[0] + d[d.length - 1];
    }
    // A signal that may end a contact: the handle-time baselines the agent's record then takes.
    for (let j = 0; j < count; j++) {
      const runtime = runtimes[j];
      if (runtime !== undefined && ends[j] === 1) warmth += this.baselines.warm(runtime.m);
    }
    this.warmth += warmth;
  }

  /** An excluded agent keeps nothing: no state and no handle-time history either. */
  forget(agentId: string): void {
    const runtime = this.runtimes.get(agentId);
    if (runtime !== undefined) {
      this.runtimes.delete(agentId);
      const key = agentKey(agentId);
      // An agent sharing the key stays found through `agents`.
      if (this.byKey.get(key) === runtime) this.byKey.delete(key);
    }
    this.baselines.forgetAgent(agentId);
  }

  seen(runtime: AgentRuntime, hash: number): boolean {
    return seenKey(runtime, hash);
  }

  /** The agent's index at `at`: recovering since their latest signal (at that signal's time when `at` is earlier). */
  view(runtime: AgentRuntime, at: number): IndexView {
    return indexAt(runtime.m, at, this.modelConfig);
  }

  /** view(runtime, at).level, without building the view. */
  levelAt(runtime: AgentRuntime, at: number): Level {
    return levelAt(runtime.m, at, this.modelConfig);
  }

  /**
   * Applies one input; events it produces are pushed to `events` (null while replaying: they are
   * logged already). `interactionHash`: the interaction id's idHash when the intake computed it;
   * `known`: the agent's runtime when the caller looked it up already (the engine does, to screen it).
   */
  apply(input: EngineInput, hash: number, events: NewEvent[] | null, interactionHash?: number, known?: AgentRuntime): void {
    switch (input.type) {
      case 'engine.forget':
        for (const id of input.agentIds ?? [...this.runtimes.keys()]) this.forget(id);
        return;
      case 'engine.model-config':
        this.modelConfig = withDefaults(input.config);
        return;
      case 'action.break': {
        const runtime = this.agent(input.agentId, input.time);
        this.emit(input.agentId, undefined, input.time, applyBreak(runtime.m, input.time, input.durationMs, this.modelConfig), events);
        return;
      }
      default: {
        const runtime = this.agent(input.agentId, input.time, known);
        if (hash !== 0) rememberKey(runtime, hash, input.time);
        runtime.activity = input.type === 'agent.state' ? input.state : (ACTIVITY[input.type] ?? runtime.activity);
        const out = applySignal(runtime.m, input, this.modelConfig, this.baselines, interactionHash);
        const interactionId = 'interactionId' in input ? input.interactionId : undefined;
        this.emit(input.agentId, interactionId, input.time, out, events);
      }
    }
  }

  /** Turns one step's output into events. Plain object literals, no closures: it runs per interaction. */
  private emit(agentId: string, interactionId: string | undefined, time: number, out: StepOutput, events: NewEvent[] | null): void {
    if (out.index === undefined && out.triggers.length === 0) return;
    const orgId = this.orgId;
    const view = out.index;
    if (view) {
      events?.push({ type: 'agent-burnout:index', orgId, agentId, interactionId, time, data: { burnoutIndex: view.index, level: view.level, factors: view.factors } });
      const change = out.levelChanged;
      if (change) {
        events?.push({ type: 'agent-burnout:level-changed', orgId, agentId, interactionId, time, data: { from: change.from, to: change.to, burnoutIndex: view.index } });
        // A rise to high or critical recommends a break at once (MODEL-EVIDENCE §4: bypasses the 90-min cap).
        if (LEVEL_RANK[change.to] > LEVEL_RANK[change.from] && LEVEL_RANK[change.to] >= LEVEL_RANK.high) {
          this.recommend(agentId, interactionId, time, 'level', view, events);
        }
      }
    }
    for (const trigger of out.triggers) {
      if (trigger === 'offer-break') this.recommend(agentId, interactionId, time, 'abuse-cluster', view, events);
      else events?.push({ type: 'supervisor:alert', orgId, agentId, interactionId, time, data: { reason: 'abuse-cluster', burnoutIndex: view?.index } });
    }
  }

  /** Both sources (abuse cluster, a rise to high or critical) bypass the 90-min cap; the cap belongs to the break lifecycle. */
  private recommend(agentId: string, interactionId: string | undefined, time: number, reason: string, view: IndexView | undefined, events: NewEvent[] | null): void {
    events?.push({ type: 'wellness-break:recommended', orgId: this.orgId, agentId, interactionId, time, data: { reason, burnoutIndex: view?.index, level: view?.level } });
  }
}

/** Snapshots written before the ring was one array kept keys and times apart (`keys`, `kt`). */
function withRing(agentId: string, runtime: OrgSnapshot['agents'][number][1] | (Omit<AgentRuntime, 'ring' | 'sn' | 'id'> & { keys: number[]; kt: number[] })): AgentRuntime {
  const pairs = 'keys' in runtime ? runtime.keys.flatMap((hash, i) => [hash, runtime.kt[i]]) : runtime.ring;
  // Fields in the order `agent()` creates them: one object shape for every agent.
  const m = runtime.m;
  // A snapshot from before the slot hint has none; its fields in createAgentState's order either way.
  const state: AgentModelState = { v: m.v, t: m.t, level: m.level, d: m.d, queues: m.queues, abuse: m.abuse, bs: m.bs ?? -1 };
  return { m: state, ring: ringOf(pairs), kp: runtime.kp, fw: runtime.fw, activity: runtime.activity, sn: 0, id: agentId };
}
