// What a sentiment score means to the model: the organization's two thresholds, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL_CONFIG, resolveModelConfig, type ModelConfig } from '../../../src/domain/burnout/index.ts';
import { SEVERITY_MILD, SEVERITY_NONE, SEVERITY_STRONG, severityOfScore } from '../../../src/domain/burnout/load.ts';

test('a score is none, mild or strong at the config\'s thresholds, inclusive', () => {
  const { mildSentimentAtOrBelow: mild, strongSentimentAtOrBelow: strong } = DEFAULT_MODEL_CONFIG.difficulty;
  assert.deepEqual([mild, strong], [-0.25, -0.6]);
  const band = (score: number) => severityOfScore(score, DEFAULT_MODEL_CONFIG);
  assert.equal(band(0.4), SEVERITY_NONE);
  assert.equal(band(mild + 0.01), SEVERITY_NONE);
  assert.equal(band(mild), SEVERITY_MILD);
  assert.equal(band(strong + 0.01), SEVERITY_MILD);
  assert.equal(band(strong), SEVERITY_STRONG);
  assert.equal(band(-1), SEVERITY_STRONG);
});

test('an organization\'s own thresholds move the bands', () => {
  const config = resolveModelConfig({ difficulty: { mildSentimentAtOrBelow: -0.1, strongSentimentAtOrBelow: -0.3 } }) as ModelConfig;
  assert.equal(severityOfScore(-0.2, config), SEVERITY_MILD);
  assert.equal(severityOfScore(-0.2, DEFAULT_MODEL_CONFIG), SEVERITY_NONE);
  assert.equal(severityOfScore(-0.35, config), SEVERITY_STRONG);
});
