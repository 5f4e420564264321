// For tests that drive an Engine directly over a real store: switch an organization's wellbeing on the
// way the configuration routes do (save the record, then tell the engine).
import assert from 'node:assert/strict';
import { applyConfigChange } from '../../src/domain/burnout-config.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { Store } from '../../src/store/types.ts';

export async function enableInProcess(store: Store, engine: Engine, orgId: string): Promise<void> {
  const current = await store.config.get(orgId, Date.now());
  const saved = await store.config.update(applyConfigChange(current, { enabled: true }, Date.now()), current.version);
  assert.equal(saved.kind, 'ok');
  if (saved.kind === 'ok') await engine.onConfigChanged(saved.record);
}
