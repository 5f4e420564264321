import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { modelDefaultsTable } from '../../../src/domain/burnout/defaults-table.ts';
import { DEFAULT_MODEL_CONFIG } from '../../../src/domain/burnout/index.ts';

test('README documents exactly the model defaults the code uses', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const documented = /<!-- model-defaults:start[^>]*-->\n([\s\S]*?)\n<!-- model-defaults:end -->/.exec(readme)?.[1];
  assert.equal(documented, modelDefaultsTable(), 'regenerate with: node --import tsx scripts/model-defaults.ts');
});

test('the table lists every constant with its default and evidence', () => {
  const table = modelDefaultsTable();
  assert.match(table, new RegExp(`\\| \`index.tau\` \\| ${DEFAULT_MODEL_CONFIG.index.tau} \\|`));
  assert.match(table, /`recovery.restHalfLifeMin` \| 5 \|/);
  for (const row of table.split('\n').slice(2)) assert.match(row, /^\| `[a-zA-Z]+\.[a-zA-Z]+` \| [^|]+ \| .{10,} \|$/);
});
