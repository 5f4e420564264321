// DESIGN.md, privacy: "transcript text is analysed in memory and never stored; only derived scores are kept".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.ts';
import { enableWellbeing, freshOrg, getAgent, ingest, listAllEvents } from '../engine/helpers.ts';
import { buildCall } from '../engine/signal-builder.ts';

const PHRASE = 'zebra-unique-phrase';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file of the data directory that contains the phrase (as UTF-8 or UTF-16LE bytes). */
function filesContaining(dir: string, phrase: string): string[] {
  const needles = [Buffer.from(phrase, 'utf8'), Buffer.from(phrase, 'utf16le')];
  return filesUnder(dir).filter((path) => {
    const bytes = readFileSync(path);
    return needles.some((n) => bytes.includes(n));
  });
}

test('transcript text is never stored, yet the abuse it contained raises the index', async () => {
  const t = await startTestServer();
  try {
    const org = await freshOrg(t);
    await enableWellbeing(org);
    const start = Date.now() - 3_600_000;
    const rude = buildCall({
      agentId: 'agent-p',
      interactionId: 'p-1',
      start,
      talkSec: 300,
      says: [
        { atSec: 10, text: `${PHRASE} you useless idiot` },
        { atSec: 40, text: `${PHRASE} I said you are an idiot` },
      ],
    });
    // Both ingest paths: NDJSON (its raw line would be the obvious thing to log) and a JSON array.
    assert.equal((await ingest(org, rude.signals)).accepted, rude.signals.length);
    const polite = buildCall({ agentId: 'agent-q', interactionId: 'q-1', start, talkSec: 300, says: [{ atSec: 10, text: `${PHRASE} thank you so much` }] });
    assert.equal((await org.call('POST', '/v1/signals', polite.signals)).body.accepted, polite.signals.length);

    const agent = await getAgent(org, 'agent-p');
    assert.ok((agent.factors.abuse ?? 0) + (agent.factors.targetedAbuse ?? 0) > 0, `abuse shows in the factors: ${JSON.stringify(agent.factors)}`);
    assert.ok(agent.burnoutIndex > (await getAgent(org, 'agent-q')).burnoutIndex, 'the abusive call weighs more than the polite one');

    const events = await listAllEvents(org);
    assert.ok(events.length > 0);
    assert.ok(!JSON.stringify(events).includes(PHRASE), 'no event carries the text');

    // While running (WAL and database as they are on disk) and after a clean stop (snapshot written).
    assert.deepEqual(filesContaining(t.dataDir, PHRASE), [], 'no file of the running server holds the text');
    await t.server.close();
    const files = filesUnder(t.dataDir);
    assert.ok(files.some((f) => f.endsWith('respite.db')), `the data directory holds the database: ${files}`);
    assert.deepEqual(filesContaining(t.dataDir, PHRASE), [], 'no file holds the text after the stop');
    // The check can see text at all: the agent ids, sent beside the text, are on disk.
    assert.ok(filesContaining(t.dataDir, 'agent-p').length > 0, 'agent ids are found on disk, so the search works');
  } finally {
    await t.close();
  }
});
