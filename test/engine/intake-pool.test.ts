// NDJSON bodies validated on an intake worker thread must give exactly what validating them in place
// gives, and an engine fed through the workers must end in the same state as one that is not.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { IntakePool, BUSY_FROM, BUSY_INLINE_BELOW, DEFAULT_INLINE_BELOW } from '../../src/engine/intake-pool.ts';
import { intakeNdjson, type IntakeRequest } from '../../src/engine/intake.ts';
import { Engine } from '../../src/engine/engine.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/types.ts';
import { tempDataDir } from '../helpers/server.ts';
import { realisticSpan, toNdjson } from './signal-builder.ts';
import { enableInProcess } from './in-process.ts';

const HOUR = 3_600_000;
const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);

/** A realistic body with every kind of line the intake must sort out. */
function mixedBody(orgId: string, start: number): string {
  const lines = toNdjson(realisticSpan(agents, start, 90, 31)).trimEnd().split('\n');
  lines.splice(5, 0, '{not json');
  lines.splice(9, 0, JSON.stringify({ type: 'task.ended', agentId: 'x', time: start }));
  lines.splice(12, 0, JSON.stringify({ type: 'task.ended', agentId: 'x', interactionId: 'i', time: start, orgId: randomUUID() }));
  lines.splice(15, 0, JSON.stringify({ type: 'task.ended', agentId: 'x', interactionId: 'i', time: Date.now() + 3_600_000 }));
  lines.splice(20, 0, JSON.stringify({ type: 'utterance', agentId: agents[0], interactionId: 'i', time: start, speaker: 'customer', text: 'you are useless, I hate you' }));
  lines.push(JSON.stringify({ type: 'task.ended', agentId: 'x', interactionId: 'i', time: start, orgId }));
  return lines.join('\n');
}

describe('intake workers', () => {
  const pool = new IntakePool(2, 0);
  after(() => pool.close());

  test('a started pool runs its workers before any body, and uses them', async () => {
    const started = new IntakePool(1, 0);
    try {
      assert.equal(started.running, 0, 'workers start with the first body by default');
      started.start();
      started.start();
      assert.equal(started.running, 1, 'one lane per worker, however often started');
      const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
      const body = mixedBody(request.orgId, Date.now() - 2 * HOUR);
      assert.deepEqual(await started.ndjson(body, request), intakeNdjson(body, request));
      assert.equal(started.running, 1);
    } finally {
      await started.close();
    }
    started.start();
    assert.equal(started.running, 0, 'a closed pool starts nothing');
    const inline = new IntakePool(0);
    inline.start();
    assert.equal(inline.running, 0, 'a pool without workers starts none');
  });

  test('a body validated on a worker gives the same batch and rejections as in place', async () => {
    const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
    const body = mixedBody(request.orgId, Date.now() - 2 * HOUR);
    const onWorker = await pool.ndjson(body, request);
    const inPlace = intakeNdjson(body, request);
    assert.deepEqual(onWorker, inPlace);
    assert.equal(onWorker.rejected.length, 4, JSON.stringify(onWorker.rejected));
    assert.ok(onWorker.batch.count > 500);
    assert.ok(!Buffer.from(onWorker.batch.log).toString().includes('useless'), 'transcript text never leaves intake');
  });

  test('a body handed over as bytes moves to the worker and is read like the same text', async () => {
    const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
    const text = mixedBody(request.orgId, Date.now() - 2 * HOUR).replace('agent-1"', 'agent-Łódź"');
    const bytes = Buffer.from(text);
    assert.ok(bytes.byteLength > 8 * 1024 && bytes.buffer.byteLength === bytes.byteLength, 'a Buffer of its own');
    const answer = await pool.ndjson(bytes, request);
    assert.deepEqual(answer, intakeNdjson(text, request));
    assert.ok(answer.batch.strs.includes('agent-Łódź'));
    assert.equal(bytes.byteLength, 0, 'moved, not copied');
  });

  test('a Buffer sharing its memory with others is copied to the worker, not moved: the others stay intact', async () => {
    const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
    const line = JSON.stringify({ type: 'agent.state', agentId: 'agent-shared', time: Date.now() - HOUR, state: 'available' });
    // Like a socket read or Buffer's pool: one ArrayBuffer, several Buffers over parts of it.
    const memory = Buffer.allocUnsafeSlow(64 + Buffer.byteLength(line));
    const neighbour = memory.subarray(0, 64).fill(7);
    const bytes = memory.subarray(64);
    bytes.write(line);
    const answer = await pool.ndjson(bytes, request);
    assert.equal(answer.batch.count, 1);
    assert.equal(bytes.toString(), line, 'the caller\'s bytes are left as they were');
    assert.ok(neighbour.length === 64 && neighbour.every((b) => b === 7), 'the memory around them too');
  });

  test('bodies sent at once are answered each with its own batch', async () => {
    const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
    const bodies = [0, 1, 2, 3, 4, 5].map((k) => toNdjson(realisticSpan([`solo-${k}`], Date.now() - 2 * HOUR, 30 + k, k)));
    const answers = await Promise.all(bodies.map((body) => pool.ndjson(body, request)));
    answers.forEach((answer, k) => assert.deepEqual(answer, intakeNdjson(bodies[k], request)));
  });
});

describe('an engine fed through intake workers', () => {
  const engines: { store: Store; engine: Engine; dir: string }[] = [];
  after(async () => {
    for (const { store, engine, dir } of engines) {
      await engine.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function engineWith(orgId: string, options: { intakeWorkers: number; intakeInlineBelow: number }): Promise<Engine> {
    const dir = tempDataDir();
    const store = openSqliteStore(dir);
    const engine = await Engine.start(store, { snapshotEveryMs: 0, ...options });
    engines.push({ store, engine, dir });
    await enableInProcess(store, engine, orgId);
    return engine;
  }

  test('ends in the same per-agent state, with the same answers, as an engine without workers', async () => {
    const orgId = randomUUID();
    const withWorkers = await engineWith(orgId, { intakeWorkers: 1, intakeInlineBelow: 0 });
    const inPlace = await engineWith(orgId, { intakeWorkers: 0, intakeInlineBelow: 0 });
    const body = mixedBody(orgId, Date.now() - 2 * HOUR);
    // Twice: the second time nothing is applied again (recent keys are duplicates, older ones refused).
    for (let round = 0; round < 2; round++) {
      const [a, b] = await Promise.all([withWorkers.ingestNdjson(orgId, body, Date.now()), inPlace.ingestNdjson(orgId, body, Date.now())]);
      assert.deepEqual(a, b);
      assert.ok(round === 0 ? a.accepted > 500 : a.accepted === 0 && a.duplicates > 300, JSON.stringify({ ...a, errors: a.errors.length }));
    }
    const state = (engine: Engine) => JSON.stringify(engine.org(orgId).snapshot());
    assert.equal(state(withWorkers), state(inPlace));
  });
});

describe('intake answer order', () => {
  const pool = new IntakePool(2, 64 * 1024);
  after(() => pool.close());

  test('answers in the order bodies came in, whatever their size and whichever worker took them', async () => {
    const request: IntakeRequest = { orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 };
    // A large body, then small ones (validated in place) and medium ones that finish sooner on the other worker.
    const bodies = [
      toNdjson(realisticSpan(agents, Date.now() - 5 * HOUR, 240, 1)),
      toNdjson(realisticSpan(['s1'], Date.now() - 2 * HOUR, 10, 2)),
      toNdjson(realisticSpan(agents.slice(0, 8), Date.now() - 3 * HOUR, 120, 3)),
      toNdjson(realisticSpan(['s2'], Date.now() - 2 * HOUR, 10, 4)),
    ];
    assert.ok(bodies[0].length > 2 * bodies[2].length && bodies[2].length > 64 * 1024 && bodies[1].length < 64 * 1024);
    const answered: number[] = [];
    await Promise.all(bodies.map((body, k) => pool.ndjson(body, request).then((intake) => {
      answered.push(k);
      assert.deepEqual(intake, intakeNdjson(body, request));
    })));
    assert.deepEqual(answered, [0, 1, 2, 3]);
  });
});

/** An NDJSON body of valid agent-state lines, at least `bytes` long, as a Buffer of its own (so it can move). */
function stateBody(bytes: number, time: number, prefix = 'state'): Buffer {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const line = JSON.stringify({ type: 'agent.state', agentId: `${prefix}-${i}`, time, state: 'available' });
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n'));
}

describe('where a mid-sized body is validated', () => {
  const pool = new IntakePool(1);
  after(() => pool.close());
  const request = (): IntakeRequest => ({ orgId: randomUUID(), now: Date.now(), futureToleranceMs: 300_000 });
  const midSized = (BUSY_INLINE_BELOW + DEFAULT_INLINE_BELOW) / 2;

  test('in place while the engine has little else in flight, on a worker once it is busy', async () => {
    const idle = stateBody(midSized, Date.now() - HOUR);
    const busy = stateBody(midSized, Date.now() - HOUR);
    const small = stateBody(BUSY_INLINE_BELOW / 2, Date.now() - HOUR);
    const answers = [pool.ndjson(idle, request(), BUSY_FROM - 1), pool.ndjson(busy, request(), BUSY_FROM), pool.ndjson(small, request(), 10)];
    assert.ok(idle.byteLength > BUSY_INLINE_BELOW, 'validated in place: the bytes stay with the caller');
    assert.equal(busy.byteLength, 0, 'moved to the worker');
    assert.ok(small.byteLength > 0, 'a small body stays in place however busy the engine is');
    for (const answer of await Promise.all(answers)) assert.equal(answer.rejected.length, 0);
  });

  test('an engine counts its ingests in flight: the third of three concurrent mid-sized bodies goes to a worker', async () => {
    const dir = tempDataDir();
    const store = openSqliteStore(dir);
    const engine = await Engine.start(store, { snapshotEveryMs: 0, intakeWorkers: 1 });
    try {
      const orgId = randomUUID();
      await enableInProcess(store, engine, orgId);
      const bodies = [0, 1, 2].map((k) => stateBody(midSized, Date.now() - HOUR, `lane-${k}`));
      const lines = bodies.map((body) => body.toString().split('\n').length);
      const results = bodies.map((body) => engine.ingestNdjson(orgId, body, Date.now()));
      for (const result of results) result.catch(() => undefined); // awaited below; a failed check first must not leave them unhandled
      assert.deepEqual(bodies.map((body) => body.byteLength === 0), [0, 1, 2].map((others) => others >= BUSY_FROM));
      assert.deepEqual((await Promise.all(results)).map((r) => r.accepted), lines);
      // Once they are durable the engine is idle again: the next one stays in place.
      const next = stateBody(midSized, Date.now() - HOUR, 'after');
      const result = engine.ingestNdjson(orgId, next, Date.now());
      assert.ok(next.byteLength > 0);
      assert.ok((await result).accepted > 0);
    } finally {
      await engine.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
