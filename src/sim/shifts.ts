// Shift plans: who works when, and when each agent takes breaks and lunch.
// Typical pattern (MODEL-EVIDENCE.md §6): 8 h shifts, 15-min breaks ~2 h and ~6 h in, a 30-min lunch
// staggered over two hours, and never more than half a team away at once.
import { uniform, type Random } from './random.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const BREAK_MS = 15 * MINUTE;
export const LUNCH_MS = 30 * MINUTE;
/** Breaks slide later in these steps until the team has room. */
const SLIDE_STEP_MS = 5 * MINUTE;
/** Minimum gap between one agent's own breaks, so sliding never stacks them. */
const MIN_GAP_MS = 30 * MINUTE;

export type BreakKind = 'Break' | 'Lunch';
export interface BreakPlan {
  kind: BreakKind;
  startMs: number;
  durationMs: number;
}
export interface ShiftPlan {
  agentId: string;
  teamId: string;
  startMs: number;
  endMs: number;
  breaks: BreakPlan[];
}

export interface ShiftPlanInput {
  agents: number;
  startMs: number;
  hours: number;
  shiftHours: number;
  teamSize: number;
}

export const agentIdFor = (index: number): string => `sim-agent-${String(index + 1).padStart(4, '0')}`;
export const teamIdFor = (index: number, teamSize: number): string => `sim-team-${Math.floor(index / teamSize) + 1}`;

/** Most members of one team allowed away at once (a lone agent may still take breaks). */
export function maxAwayAtOnce(teamMembers: number): number {
  return Math.max(1, Math.floor(teamMembers / 2));
}

export function planShifts(input: ShiftPlanInput, rng: Random): ShiftPlan[] {
  const windowMs = input.hours * HOUR;
  const shiftMs = Math.min(input.shiftHours * HOUR, windowMs);
  // Early / day / late bands cover a window longer than one shift; a short window is one band.
  const spareMs = windowMs - shiftMs;
  const bands = spareMs > 0 ? [0, spareMs / 2, spareMs] : [0];
  const plans: ShiftPlan[] = [];
  for (let i = 0; i < input.agents; i++) {
    const startMs = Math.round(input.startMs + bands[i % bands.length]);
    plans.push({ agentId: agentIdFor(i), teamId: teamIdFor(i, input.teamSize), startMs, endMs: startMs + shiftMs, breaks: [] });
  }
  const teams = new Map<string, ShiftPlan[]>();
  for (const plan of plans) teams.set(plan.teamId, [...(teams.get(plan.teamId) ?? []), plan]);
  for (const members of teams.values()) planTeamBreaks(members, input.shiftHours * HOUR, rng);
  return plans;
}

interface Wish {
  plan: ShiftPlan;
  kind: BreakKind;
  desiredMs: number;
  durationMs: number;
}

/** Places each break at its wished time, or the first later slot where the team still has room. */
function planTeamBreaks(members: ShiftPlan[], fullShiftMs: number, rng: Random): void {
  // Nominal positions scale with the shift so a 6 h shift still gets its breaks spread out.
  const scale = fullShiftMs / (8 * HOUR);
  const rounds: Wish[][] = [[], [], []];
  members.forEach((plan, j) => {
    const jitter = () => Math.round(uniform(rng, -10 * MINUTE, 10 * MINUTE));
    // Lunch staggered across two hours (11:15–13:15 for an 08:00 start) in team order.
    const lunchOffset = members.length > 1 ? (j / (members.length - 1)) * 2 * HOUR : HOUR;
    rounds[0].push({ plan, kind: 'Break', desiredMs: plan.startMs + 2 * HOUR * scale + jitter(), durationMs: BREAK_MS });
    rounds[1].push({ plan, kind: 'Lunch', desiredMs: plan.startMs + (3.25 * HOUR + lunchOffset) * scale, durationMs: LUNCH_MS });
    rounds[2].push({ plan, kind: 'Break', desiredMs: plan.startMs + 6 * HOUR * scale + jitter(), durationMs: BREAK_MS });
  });
  const limit = maxAwayAtOnce(members.length);
  const taken: Array<[number, number]> = [];
  for (const wishes of rounds) {
    wishes.sort((a, b) => a.desiredMs - b.desiredMs);
    for (const wish of wishes) {
      const previous = wish.plan.breaks.at(-1);
      let start = Math.max(wish.desiredMs, wish.plan.startMs, previous ? previous.startMs + previous.durationMs + MIN_GAP_MS : -Infinity);
      while (awayDuring(taken, start, start + wish.durationMs) >= limit) start += SLIDE_STEP_MS;
      // A break that no longer fits inside the (possibly truncated) shift is skipped.
      if (start + wish.durationMs > wish.plan.endMs) continue;
      wish.plan.breaks.push({ kind: wish.kind, startMs: start, durationMs: wish.durationMs });
      taken.push([start, start + wish.durationMs]);
    }
  }
}

/** Largest number of the given intervals that overlap at one instant inside [from, to). */
export function awayDuring(intervals: ReadonlyArray<readonly [number, number]>, from: number, to: number): number {
  const inside = intervals.filter(([s, e]) => s < to && e > from);
  let most = 0;
  // The maximum overlap is reached at the start of some interval (or at `from`).
  for (const instant of [from, ...inside.map(([s]) => s)]) {
    if (instant < from || instant >= to) continue;
    const count = inside.filter(([s, e]) => s <= instant && e > instant).length;
    most = Math.max(most, count);
  }
  return most;
}
