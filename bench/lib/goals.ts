// The issues' performance goals as one table: each benchmark's last JSON line in, one row per goal out,
// with the machine's own yardsticks beside them (the machine's speed moves 2–4× between hours, so a goal
// in absolute numbers is read against what a bare route and a bare JSON.parse made in the same run).
import { fmt } from './rounds.ts';

/** bench:actions' last line. */
export interface ActionsResult {
  actionsPerSec: number;
  p99Ms: number;
  bareRoutePerSec: number;
  ratio: number;
  asCreated?: { actionsPerSec: number; p99Ms: number; ratio: number };
}

/** bench:engine's last line (the fields the goals read). */
export interface EngineResult {
  signalsPerSecPreParsed: number | null;
  signalsPerSecFromNdjson: number | null;
  parseFloorPerSec: number | null;
  ratioToParseFloor: number | null;
  bytesPerAgent: number | null;
}

/** bench:ingest's last line. */
export interface IngestResult {
  signalsPerSec: number;
  p99BatchMs: number;
  bytesPerAgent: number;
}

export interface BenchResults {
  actions?: ActionsResult;
  engine?: EngineResult;
  ingest?: IngestResult;
}

export interface GoalRow {
  issue: number;
  goal: string;
  measured: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

const known = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

function row(issue: number, goal: string, value: number | null | undefined, ok: (v: number) => boolean, show: (v: number) => string): GoalRow {
  return known(value) ? { issue, goal, measured: show(value), met: ok(value) } : { issue, goal, measured: 'not measured', met: undefined };
}

/** One row per goal of issues #2 and #3, in the issues' order. */
export function goalRows({ actions, engine, ingest }: BenchResults): GoalRow[] {
  const actionRows = (label: string, f: { actionsPerSec: number; p99Ms: number; ratio: number } | undefined) => [
    row(2, `${label}: ≥ 10,000 durable actions/s`, f?.actionsPerSec, (v) => v >= 10_000, (v) => `${fmt(v)}/s`),
    row(2, `${label}: p99 ≤ 25 ms`, f?.p99Ms, (v) => v <= 25, (v) => `${v} ms`),
    row(2, `${label}: ≥ 0.5× the bare route`, f?.ratio, (v) => v >= 0.5, (v) => `${v}×`),
  ];
  return [
    ...actionRows('actions, wellbeing on', actions),
    ...actionRows('actions, org as created', actions?.asCreated),
    row(3, 'pre-parsed: ≥ 1,000,000 signals/s/core (100,000 agents)', engine?.signalsPerSecPreParsed, (v) => v >= 1_000_000, (v) => `${fmt(v)}/s`),
    row(3, 'engine path: ≥ 0.5× the parse-only floor', engine?.ratioToParseFloor, (v) => v >= 0.5, (v) => `${v}×`),
    row(3, 'HTTP NDJSON ingest: ≥ 200,000 signals/s', ingest?.signalsPerSec, (v) => v >= 200_000, (v) => `${fmt(v)}/s (batch p99 ${ingest!.p99BatchMs} ms)`),
    row(3, 'memory: ≤ 2 KB a tracked agent (bench:engine)', engine?.bytesPerAgent, (v) => v <= 2048, (v) => `${fmt(v)} B`),
    row(3, 'memory: ≤ 2 KB a tracked agent (bench:ingest, the server)', ingest?.bytesPerAgent, (v) => v <= 2048, (v) => `${fmt(v)} B`),
  ];
}

/** What this machine made in the same run with no Respite work: how fast the hour is. */
export function yardsticks({ actions, engine, ingest }: BenchResults): string[] {
  const lines: string[] = [];
  if (actions && known(actions.bareRoutePerSec)) {
    lines.push(`bare Fastify route (validates, stores nothing): ${fmt(actions.bareRoutePerSec)}/s${actions.bareRoutePerSec < 10_000 ? ' — under 10,000/s: no server could show the actions rate goal this hour' : ''}`);
  }
  const floor = engine?.parseFloorPerSec;
  if (!known(floor)) return lines;
  lines.push(`JSON.parse of the NDJSON lines, one thread: ${fmt(floor)}/s`);
  // A rate in proportion to the floor, scaled to the goal: the floor this machine would need (an estimate).
  const needs = (label: string, rate: number | null | undefined, goal: number) => {
    if (known(rate) && rate > 0) lines.push(`${label} ${(rate / floor).toFixed(2)}× the floor: ${fmt(goal)}/s would need a floor of ~${fmt((goal * floor) / rate)}/s`);
  };
  needs('pre-parsed made', engine?.signalsPerSecPreParsed, 1_000_000);
  needs('HTTP ingest made', ingest?.signalsPerSec, 200_000);
  return lines;
}

/** The last line of a benchmark's stdout that parses as a JSON object. */
export function lastJsonLine<T>(stdout: string): T | undefined {
  const lines = stdout.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // not JSON after all: keep looking
    }
  }
  return undefined;
}
