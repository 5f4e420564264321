// Sends a stream of NDJSON lines in batches over a few parallel lanes. Each agent always uses the
// same lane, so one agent's signals arrive in order even with several batches in flight.
import { IDLE, type Idle } from './pace.ts';
import type { IngestResult, RespiteClient } from './client.ts';

export interface SendTotals {
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Valid but not scored by the server (org disabled or agent not included). */
  ignored: number;
  /** The first few rejection reasons, for the user to see what was wrong. */
  rejections: string[];
}

export interface OutgoingLine {
  line: string;
  /** Lane affinity: lines with the same key keep their order. */
  agentId: string;
}

export interface SendOptions {
  batchSize: number;
  lanes: number;
  onBatch?: (totals: SendTotals) => void;
}

const MAX_REJECTIONS_KEPT = 10;

function laneOf(agentId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < agentId.length; i++) h = (Math.imul(h, 31) + agentId.charCodeAt(i)) >>> 0;
  return h % lanes;
}

export async function sendLines(
  client: Pick<RespiteClient, 'postSignals'>,
  lines: AsyncIterable<OutgoingLine | Idle> | Iterable<OutgoingLine | Idle>,
  options: SendOptions,
): Promise<SendTotals> {
  const totals: SendTotals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, ignored: 0, rejections: [] };
  const lanes = Array.from({ length: Math.max(1, options.lanes) }, () => ({ buffer: [] as string[], inFlight: Promise.resolve() }));
  let failure: unknown;

  const record = (batch: string[], result: IngestResult) => {
    totals.sent += batch.length;
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected;
    totals.ignored += result.ignored ?? 0;
    for (const e of result.errors ?? []) {
      if (totals.rejections.length < MAX_REJECTIONS_KEPT) totals.rejections.push(`${e.reason} (line: ${batch[e.index]?.slice(0, 160) ?? '?'})`);
    }
    options.onBatch?.(totals);
  };

  const flush = async (lane: (typeof lanes)[number]) => {
    if (lane.buffer.length === 0) return;
    const batch = lane.buffer;
    lane.buffer = [];
    // One batch in flight per lane: waiting here is the backpressure on the generator.
    await lane.inFlight;
    if (failure) return;
    lane.inFlight = client.postSignals(batch).then(
      (result) => record(batch, result),
      (error: unknown) => {
        failure ??= error;
      },
    );
  };

  for await (const item of lines) {
    if (failure) break;
    if (item === IDLE) {
      for (const lane of lanes) await flush(lane);
      continue;
    }
    const lane = lanes[laneOf(item.agentId, lanes.length)];
    lane.buffer.push(item.line);
    if (lane.buffer.length >= options.batchSize) await flush(lane);
  }
  if (!failure) for (const lane of lanes) await flush(lane);
  await Promise.all(lanes.map((lane) => lane.inFlight));
  if (failure) throw failure;
  return totals;
}
