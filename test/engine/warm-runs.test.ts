// An org large enough that the engine warms each run of a batch's agents before applying it
// (WARM_FROM_AGENTS) answers and ends as an org too small to warm does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WARM_FROM_AGENTS, WARM_RUN } from '../../src/engine/org-runtime.ts';
import type { Signal } from '../../src/domain/signals.ts';
import { realisticSpan } from './signal-builder.ts';
import { Harness, agentIds } from './harness.ts';

test('an org of WARM_FROM_AGENTS agents and more applies batches as a small org does', async () => {
  const big = await new Harness().open();
  const small = await new Harness().open();
  try {
    await big.enable();
    await small.enable();
    const start = Date.now() - 2 * 3_600_000;
    const crowd: Signal[] = agentIds(WARM_FROM_AGENTS, 'crowd').map((agentId) => ({ type: 'agent.state', agentId, time: start, state: 'available' }));
    assert.equal((await big.ingest(crowd)).accepted, WARM_FROM_AGENTS);
    assert.ok(big.engine.org(big.orgId).warmsRuns() && !small.engine.org(small.orgId).warmsRuns(), 'one org warms its runs, the other does not');

    const agents = agentIds(12, 'w');
    const span = realisticSpan(agents, start, 90, 7);
    // Batches that are not whole runs, the last one sent again (a retry: duplicates only).
    const size = WARM_RUN + 5;
    const batches: Signal[][] = [];
    for (let i = 0; i < span.length; i += size) batches.push(span.slice(i, i + size));
    batches.push(batches.at(-1)!);
    assert.ok(batches.length > 3, 'several batches');
    for (const batch of batches) assert.deepEqual(await big.ingest(batch), await small.ingest(batch));
    assert.ok((await small.ingest(batches.at(-1)!)).duplicates > 0, 'the retry was recognised');

    const ours = (h: Harness) => h.views().filter((v) => v.agentId.startsWith('w-'));
    assert.equal(ours(small).length, agents.length);
    assert.deepEqual(ours(big), ours(small));
    const runtimes = (h: Harness) => (h.state() as { agents: [string, unknown][] }).agents.filter(([id]) => id.startsWith('w-'));
    assert.deepEqual(runtimes(big), runtimes(small), 'model state, key ring and activity');

    // An agent new to the org within a run: the warm pass found nobody, yet their later signals in that run are screened.
    const fresh: Signal = { type: 'agent.state', agentId: 'w-fresh', time: start + 60_000, state: 'available' };
    const twice = [fresh, { ...fresh }];
    const answer = await big.ingest(twice);
    assert.deepEqual(answer, await small.ingest(twice));
    assert.equal(answer.accepted, 1);
    assert.equal(answer.duplicates, 1, 'the second copy is a duplicate');
  } finally {
    await big.dispose();
    await small.dispose();
  }
});
