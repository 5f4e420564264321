// The sending half shared by `simulate` and `replay`: make sure the org is switched on, pace the
// stream, send it in batches, and report progress.
import { ApiError, type RespiteClient } from './client.ts';
import { IDLE, pace } from './pace.ts';
import type { Progress } from './progress.ts';
import { sendLines, type OutgoingLine, type SendTotals } from './sender.ts';

export interface TimedLine extends OutgoingLine {
  time: number;
  /** Share of the whole run done once this line is sent (0…1). */
  fraction: number;
}

export interface DeliverOptions {
  speed: number;
  batchSize: number;
  lanes: number;
  progress: Progress;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function deliver(
  client: RespiteClient,
  source: Iterable<TimedLine> | AsyncIterable<TimedLine>,
  options: DeliverOptions,
): Promise<{ totals: SendTotals; elapsedMs: number }> {
  const now = options.now ?? Date.now;
  const startedMs = now();
  let latest = { clockMs: 0, fraction: 0 };
  let sent = 0;
  async function* tracked() {
    for await (const item of pace(source, { speed: options.speed, timeOf: (l) => l.time, now, ...(options.sleep ? { sleep: options.sleep } : {}) })) {
      if (item !== IDLE) latest = { clockMs: item.time, fraction: item.fraction };
      yield item;
    }
  }
  try {
    const totals = await sendLines(client, tracked(), {
      batchSize: options.batchSize,
      lanes: options.lanes,
      onBatch: (t) => {
        sent = t.sent;
        options.progress.update({ ...latest, sent });
      },
    });
    options.progress.update({ ...latest, fraction: 1, sent: totals.sent });
    return { totals, elapsedMs: now() - startedMs };
  } finally {
    options.progress.stop();
  }
}

/**
 * Switches agent wellbeing on for the org if it is off, with break reminders, so the traffic produces
 * indexes and break recommendations (only agents with reminders get those: DESIGN.md).
 * A token without the config scopes is not fatal: the signals are still worth sending.
 */
export async function ensureWellbeingEnabled(client: RespiteClient, orgId: string, log: (line: string) => void): Promise<void> {
  try {
    const feature = await client.aiFeature(orgId);
    if (!feature) {
      log(`No ai-feature configuration found for org ${orgId}; agent wellbeing state unknown.`);
      return;
    }
    if (feature.agentWellbeing.enable) {
      // Switched on by an admin: their choice of reminders stands, but the summary's zero should not puzzle.
      if (feature.agentWellbeing.wellnessBreakReminders !== 'ENABLED') log(`Break reminders are off for org ${orgId}: no breaks will be recommended.`);
      return;
    }
    await client.patchAiFeature(orgId, feature.id, {
      id: feature.id,
      agentWellbeing: { enable: true, agentInclusionType: 'ALL', wellnessBreakReminders: 'ENABLED' },
    });
    log(`Enabled agent wellbeing for org ${orgId} (it was off), with break reminders`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      log(`Cannot check or enable agent wellbeing for org ${orgId}: the token lacks cjp:config_read/cjp:config_write (403). Continuing.`);
      return;
    }
    throw error;
  }
}
