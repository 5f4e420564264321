import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import { AppError } from '../../../src/domain/errors.ts';
import { DEFAULT_MODEL_CONFIG, ModelConfigSchema, isBreakAction, resolveModelConfig, withDefaults, type ModelConfig } from '../../../src/domain/burnout/index.ts';

function leaves(schema: TSchema, path = ''): Array<[string, TSchema]> {
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties as Record<string, TSchema>).flatMap(([k, s]) => leaves(s, `${path}.${k}`));
  }
  return [[path, schema]];
}

describe('ModelConfig', () => {
  test('every constant has a default and a description citing its evidence', () => {
    const all = leaves(ModelConfigSchema);
    assert.ok(all.length > 40);
    for (const [path, schema] of all) {
      assert.ok('default' in schema, `${path} has no default`);
      assert.ok(typeof schema.description === 'string' && /§|DESIGN|judgement/.test(schema.description), `${path} cites nothing`);
    }
  });

  test('the defaults are the documented ones', () => {
    const d = DEFAULT_MODEL_CONFIG;
    assert.equal(d.index.tau, 25);
    assert.deepEqual([d.levels.moderateAt, d.levels.highAt, d.levels.criticalAt, d.levels.hysteresis], [40, 60, 80, 5]);
    assert.deepEqual([d.channel.voice, d.channel.chat, d.channel.chatConcurrencyStep, d.channel.email], [1, 0.5, 0.25, 0.3]);
    assert.deepEqual([d.difficulty.negativeMild, d.difficulty.negativeStrong, d.difficulty.targetedAbuse, d.difficulty.cap], [1.5, 2, 8, 8]);
    assert.deepEqual([d.difficulty.escalation, d.difficulty.transferOut, d.difficulty.longHold, d.difficulty.veryLongHold], [1.2, 1.1, 1.1, 1.25]);
    assert.deepEqual([d.streak.flatMin, d.streak.fullMin, d.streak.max, d.streak.resetGapMin], [30, 90, 1.5, 5]);
    const r = d.recovery;
    assert.deepEqual([r.handlingHalfLifeMin, r.availableHalfLifeMin, r.restHalfLifeMin, r.loggedOutHalfLifeMin], [60, 15, 5, 120]);
    assert.deepEqual([r.chronicWorkHalfLifeDays, r.chronicOffHalfLifeDays], [5, 2.5]);
    assert.deepEqual([d.shiftEnd.plainShare, d.shiftEnd.abusiveShare], [0.05, 0.1]);
    assert.deepEqual([d.abuseCluster.windowMin, d.abuseCluster.offerBreakAt, d.abuseCluster.alertSupervisorAt], [60, 2, 3]);
    assert.deepEqual([d.baselines.windowDays, d.baselines.minInteractions, d.baselines.newAgentDays], [28, 100, 42]);
    assert.ok(d.idleCodes.restCodes.includes('WellbeingBreak'));
    assert.deepEqual(d.breakActions, { types: ['Break Played', 'Wellness Break Played', 'Break Taken'], playedSec: 60 });
    assert.ok(Object.isFrozen(d.recovery));
  });

  test('a partial organization config is completed with the defaults', () => {
    const config = resolveModelConfig({ index: { tau: 30 }, idleCodes: { inclusion: { Training: 'EXCLUDED' } } });
    assert.ok(!(config instanceof AppError));
    assert.equal(config.index.tau, 30);
    assert.equal(config.recovery.restHalfLifeMin, 5);
    assert.equal(config.idleCodes.inclusion.Training, 'EXCLUDED');
    assert.deepEqual(config.idleCodes.restCodes, DEFAULT_MODEL_CONFIG.idleCodes.restCodes);
  });

  test('rejects a config with an unknown field, a multiplier below 1 or levels out of order', () => {
    const badBreaks = [{ breakActions: { types: [''] } }, { breakActions: { playedSec: 0 } }, { breakActions: { playedSec: 3601 } }, { breakActions: { types: 'Break Played' } }];
    for (const bad of [{ index: { tau: 0 } }, { difficulty: { abusive: 0.5 } }, { levels: { highAt: 30 } }, { recovery: { nap: 1 } }, { idleCodes: { inclusion: { X: 'MAYBE' } } }, ...badBreaks]) {
      const result = resolveModelConfig(bad);
      assert.ok(result instanceof AppError, JSON.stringify(bad));
      assert.equal(result.code, 'validation');
    }
  });

  test('an action is a break when its type is one of the config\'s break action types, ignoring case', () => {
    assert.ok(isBreakAction(DEFAULT_MODEL_CONFIG, 'Break Played'));
    assert.ok(isBreakAction(DEFAULT_MODEL_CONFIG, 'BREAK PLAYED'));
    assert.ok(isBreakAction(DEFAULT_MODEL_CONFIG, 'wellness break played'));
    assert.ok(!isBreakAction(DEFAULT_MODEL_CONFIG, 'Supervisor Notified'));
    assert.ok(!isBreakAction(DEFAULT_MODEL_CONFIG, 'Break'));
    const own = resolveModelConfig({ breakActions: { types: ['Mindful Minute'] } }) as ModelConfig;
    assert.ok(isBreakAction(own, 'mindful minute'));
    assert.ok(!isBreakAction(own, 'Break Played'), 'the org\'s list replaces the default one');
  });

  test('a config saved before a setting existed gets that setting\'s default; a complete one is kept as it is', () => {
    const { breakActions: _, ...saved } = structuredClone(DEFAULT_MODEL_CONFIG) as ModelConfig;
    const older = { ...saved, index: { tau: 31 } } as ModelConfig;
    const completed = withDefaults(older);
    assert.deepEqual(completed.breakActions, DEFAULT_MODEL_CONFIG.breakActions);
    assert.equal(completed.index.tau, 31, 'what it had stays');
    assert.equal(withDefaults(DEFAULT_MODEL_CONFIG), DEFAULT_MODEL_CONFIG);
  });
});
