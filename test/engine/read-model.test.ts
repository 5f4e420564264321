// listAgents: filters by level, sorts by agentId or by level (critical first), and pages with a cursor
// that visits every agent once — checked against a plain sort over random organizations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listAgents, agentView, type AgentListQuery, type AgentSort } from '../../src/engine/read-model.ts';
import { OrgRuntime } from '../../src/engine/org-runtime.ts';
import { DEFAULT_MODEL_CONFIG, LEVELS, createAgentState, resolveModelConfig, type Level, type ModelConfig } from '../../src/domain/burnout/index.ts';
import { D_C } from '../../src/domain/burnout/state.ts';

const T0 = Date.UTC(2025, 0, 6, 9);

/** Chronic load that puts the index well inside each level (τ 25: 10, 50, 70 and 90). */
const LOAD_FOR: Record<Level, number> = { low: 2.6, moderate: 17.3, high: 30.1, critical: 57.6 };

function orgWith(agents: [string, Level][]): OrgRuntime {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  for (const [id, level] of agents) {
    const runtime = org.agent(id, T0);
    runtime.m.d[D_C] = LOAD_FOR[level];
    runtime.m.level = level;
  }
  return org;
}

function pageThrough(org: OrgRuntime, q: Omit<AgentListQuery, 'after'>): string[] {
  const seen: string[] = [];
  let after: AgentListQuery['after'];
  for (let pages = 0; pages <= org.agents.size + 1; pages++) {
    const page = listAgents(org, { ...q, after });
    assert.ok(page.items.length <= q.limit);
    seen.push(...page.items.map((a) => a.agentId));
    if (!page.next) return seen;
    after = page.next;
  }
  assert.fail('paging did not end');
}

const rankDown = (level: Level) => LEVELS.length - 1 - LEVELS.indexOf(level);

describe('listAgents', () => {
  test('paging visits every matching agent exactly once, in the order of the chosen sort', () => {
    const agentsArb = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom(...LEVELS)), { selector: ([id]) => id, maxLength: 40 });
    fc.assert(
      fc.property(
        agentsArb,
        fc.constantFrom<AgentSort>('agentId', 'level'),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.subarray([...LEVELS], { minLength: 1 }), { nil: undefined }),
        (agents, sort, limit, levels) => {
          const org = orgWith(agents);
          const expected = agents
            .filter(([, level]) => !levels || levels.includes(level))
            .sort(([a, la], [b, lb]) => (sort === 'level' ? rankDown(la) - rankDown(lb) : 0) || (a < b ? -1 : a > b ? 1 : 0))
            .map(([id]) => id);
          assert.deepEqual(pageThrough(org, { at: T0, sort, limit, levels }), expected);
        },
      ),
    );
  });

  test('a new agent reads as low with no factors and index 0', () => {
    const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
    const runtime = org.agent('fresh', T0);
    assert.deepEqual(agentView(org, 'fresh', runtime, T0 + 60_000), { agentId: 'fresh', burnoutIndex: 0, level: 'low', state: 'unknown', factors: {}, updatedAt: T0 });
    assert.deepEqual(createAgentState(T0).level, 'low');
  });

  test('an agent keeps recovering after their latest signal: read later, the index and level are lower and updatedAt stays', () => {
    const org = orgWith([['resting', 'critical']]);
    const runtime = org.agents.get('resting')!;
    const atSignal = agentView(org, 'resting', runtime, T0);
    assert.equal(atSignal.level, 'critical');
    const later = agentView(org, 'resting', runtime, T0 + 15 * 86_400_000);
    assert.ok(later.burnoutIndex < atSignal.burnoutIndex, `${later.burnoutIndex} < ${atSignal.burnoutIndex}`);
    assert.notEqual(later.level, 'critical');
    assert.equal(later.updatedAt, T0);
    assert.deepEqual(agentView(org, 'resting', runtime, T0 - 60_000), atSignal, 'before the latest signal: as of that signal');
    assert.equal(runtime.m.t, T0, 'reading changes nothing');
  });

  test('the level filter and sort use the level at the time of the read', () => {
    const org = orgWith([['resting', 'critical'], ['other', 'low']]);
    assert.deepEqual(listAgents(org, { at: T0, sort: 'level', limit: 10, levels: ['critical'] }).items.map((a) => a.agentId), ['resting']);
    const later = listAgents(org, { at: T0 + 15 * 86_400_000, sort: 'level', limit: 10, levels: ['critical'] });
    assert.deepEqual(later.items, [], 'recovered out of critical by then');
  });

  test('after a model-config change the filter, the sort and the view all use the new thresholds', () => {
    const org = orgWith([['was-low', 'low'], ['other', 'low']]);
    org.agents.get('was-low')!.m.d[D_C] = 6; // index 21: low at 40, moderate at 10
    org.modelConfig = resolveModelConfig({ levels: { moderateAt: 10, highAt: 60, criticalAt: 80 } }) as ModelConfig;
    const later = T0 + 60_000;
    const moderate = listAgents(org, { at: later, sort: 'agentId', limit: 10, levels: ['moderate'] }).items;
    assert.deepEqual(moderate.map((a) => [a.agentId, a.level]), [['was-low', 'moderate']]);
    assert.deepEqual(listAgents(org, { at: later, sort: 'level', limit: 10 }).items.map((a) => a.agentId), ['was-low', 'other']);
  });
});
