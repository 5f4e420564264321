// Measures a generated day the way an analyst would: from the signals alone.
import type { Signal } from '../../src/domain/signals.ts';

export interface DayMeasures {
  occupancy: number;
  contacts: number;
  abusiveShare: number;
  negativeShare: number;
  medianVoiceTalkMs: number;
  holdShare: number;
  transferShare: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

export function measureDay(signals: Iterable<Signal>): DayMeasures {
  const availableSince = new Map<string, number>();
  let availableMs = 0;
  // Busy = at least one task between offer and wrap-up done, per agent.
  const openTasks = new Map<string, number>();
  const busySince = new Map<string, number>();
  let busyMs = 0;
  const interactions = new Map<string, { channel: string; abusive: boolean; negative: boolean; held: boolean; transferred: boolean }>();
  const connectedAt = new Map<string, number>();
  const heldAt = new Map<string, number>();
  const holdMs = new Map<string, number>();
  const voiceTalk: number[] = [];

  for (const s of signals) {
    if (s.type === 'agent.state') {
      const since = availableSince.get(s.agentId);
      if (since !== undefined) availableMs += s.time - since;
      if (s.state === 'available') availableSince.set(s.agentId, s.time);
      else availableSince.delete(s.agentId);
      continue;
    }
    const leg = `${s.agentId}/${s.interactionId}`;
    const info = interactions.get(s.interactionId);
    switch (s.type) {
      case 'task.offered': {
        const open = openTasks.get(s.agentId) ?? 0;
        if (open === 0) busySince.set(s.agentId, s.time);
        openTasks.set(s.agentId, open + 1);
        if (!info) interactions.set(s.interactionId, { channel: s.channel, abusive: false, negative: false, held: false, transferred: false });
        break;
      }
      case 'task.connected':
        connectedAt.set(leg, s.time);
        break;
      case 'task.held':
        heldAt.set(leg, s.time);
        info!.held = true;
        break;
      case 'task.resumed':
        holdMs.set(leg, (holdMs.get(leg) ?? 0) + s.time - heldAt.get(leg)!);
        break;
      case 'task.transferred':
        info!.transferred = true;
        break;
      case 'task.ended':
        if (info!.channel === 'voice') voiceTalk.push(s.time - connectedAt.get(leg)! - (holdMs.get(leg) ?? 0));
        break;
      case 'task.wrapup_done': {
        const open = openTasks.get(s.agentId)! - 1;
        openTasks.set(s.agentId, open);
        if (open === 0) busyMs += s.time - busySince.get(s.agentId)!;
        break;
      }
      case 'utterance':
        info!.negative = true;
        if (s.text && /idiot|bastard|fuck|shit|moron/.test(s.text)) info!.abusive = true;
        break;
      case 'sentiment':
        info!.negative = true;
        break;
    }
  }
  const all = [...interactions.values()];
  const voice = all.filter((i) => i.channel === 'voice');
  return {
    occupancy: busyMs / availableMs,
    contacts: all.length,
    abusiveShare: all.filter((i) => i.abusive).length / all.length,
    negativeShare: all.filter((i) => i.negative).length / all.length,
    medianVoiceTalkMs: median(voiceTalk),
    holdShare: voice.filter((i) => i.held).length / voice.length,
    transferShare: voice.filter((i) => i.transferred).length / voice.length,
  };
}
