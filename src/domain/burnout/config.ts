// Every constant of the burnout model, per organization. The schema is the single source of truth:
// the TypeScript type, the defaults and the documentation of each number all come from it.
// Short references point into /work/shared/MODEL-EVIDENCE.md (§ = section); "judgement" marks a
// number the literature does not pin (a starting point to tune in pilots, not a finding).
import { Type, Value } from '../../typebox.ts';
import type { Static, TSchema } from '@sinclair/typebox';
import { validationError, type AppError } from '../errors.ts';

const num = (def: number, description: string, range: { min?: number; exclusiveMin?: number; max?: number; exclusiveMax?: number } = {}) =>
  Type.Number({
    default: def,
    description,
    ...(range.min !== undefined ? { minimum: range.min } : {}),
    ...(range.exclusiveMin !== undefined ? { exclusiveMinimum: range.exclusiveMin } : {}),
    ...(range.max !== undefined ? { maximum: range.max } : {}),
    ...(range.exclusiveMax !== undefined ? { exclusiveMaximum: range.exclusiveMax } : {}),
  });
/** A difficulty multiplier: ≥ 1 so that a harder interaction can never lower the load. */
const factor = (def: number, description: string) => num(def, description, { min: 1 });
const positive = (def: number, description: string) => num(def, description, { exclusiveMin: 0 });
/** A group with `default: {}` so Value.Default fills a partial organization config group by group. */
const group = <P extends Record<string, TSchema>>(properties: P, description: string) =>
  Type.Object(properties, { default: {}, description, additionalProperties: false });

export const IdleCodeInclusionSchema = Type.Union([
  Type.Literal('INCLUDED'),
  Type.Literal('EXCLUDED'),
  Type.Literal('NOT_APPLICABLE'),
]);
export type IdleCodeInclusion = Static<typeof IdleCodeInclusionSchema>;

export const ModelConfigSchema = Type.Object(
  {
    index: group(
      {
        tau: positive(25, 'τ in index = 100·(1 − e^(−(A+C)/τ)), load units; calibrated so a standard day peaks near 35 (§5, our simulation)'),
      },
      'Index scale',
    ),
    levels: group(
      {
        moderateAt: num(40, 'Index at which the level becomes moderate (§5; no published validation, configurable)', { min: 0, max: 100 }),
        highAt: num(60, 'Index at which the level becomes high (§5)', { min: 0, max: 100 }),
        criticalAt: num(80, 'Index at which the level becomes critical (§5; FAID default tolerance 80)', { min: 0, max: 100 }),
        hysteresis: num(5, 'Points below a threshold the index must fall before its level drops (§5; FAID warning band, judgement)', { min: 0, max: 50 }),
      },
      'Levels low < moderate < high < critical',
    ),
    channel: group(
      {
        voice: positive(1.0, 'Base load of a voice contact; the unit of load (§2, Zapf et al. 2003; judgement)'),
        chat: positive(0.5, 'Base load of one chat session (§2; judgement)'),
        chatFreeConcurrency: num(2, 'Concurrent chat sessions carried without extra load (§2, vendor data, weak)', { min: 1 }),
        chatConcurrencyStep: num(0.25, 'Extra share of chat base load per concurrent session above the free number (§2; judgement)', { min: 0 }),
        email: positive(0.3, 'Base load of an email contact (§2; judgement)'),
      },
      'Channel base load',
    ),
    handle: group(
      {
        capMultiple: num(3, 'Handle factor sqrt(duration/median) uses a duration capped at this multiple of the median (§2, Brown et al. 2005; judgement)', { min: 1 }),
      },
      'Handle-time factor',
    ),
    difficulty: group(
      {
        cap: factor(8, 'Cap on the product of the difficulty multipliers (§2; judgement)'),
        negativeMild: factor(1.5, 'Mildly negative customer sentiment (§2, Dormann & Zapf 2004; judgement on magnitude)'),
        negativeStrong: factor(2, 'Strongly negative customer sentiment (§2; judgement on magnitude)'),
        mildSentimentAtOrBelow: num(-0.25, 'Interaction sentiment (−1…0) at or below which it counts as mildly negative (judgement)', { min: -1, exclusiveMax: 0 }),
        strongSentimentAtOrBelow: num(-0.6, 'Interaction sentiment (−1…0) at or below which it counts as strongly negative (judgement)', { min: -1, exclusiveMax: 0 }),
        abusive: factor(
          4.5,
          'Abusive language (§2, Grandey et al. 2004; judgement set by the §5 target "three abusive calls at 14:00 lift ~20 to ~54": ' +
            '§2 suggests ×6, which with the streak factor overshoots to ~65 in our simulation, ×4.5 gives ~57); replaces the sentiment multiplier',
        ),
        targetedAbuse: factor(8, 'Abuse aimed at the agent, "you/your" + interruptions (§2, Walker et al. 2017; judgement); replaces the abusive multiplier'),
        escalation: factor(1.2, 'The contact reached the agent as an escalation (§2, n/f; judgement)'),
        transferOut: factor(1.1, 'The agent transferred the contact out (§2, n/f; judgement)'),
        longHoldSec: positive(60, 'Total hold above which the long-hold multiplier applies, seconds (§2, industry norm, weak)'),
        longHold: factor(1.1, 'Total hold above longHoldSec (§2; judgement: proxy for "agent lacks an answer")'),
        veryLongHoldSec: positive(180, 'Total hold above which the very-long-hold multiplier applies, seconds (§2)'),
        veryLongHold: factor(1.25, 'Total hold above veryLongHoldSec (§2; judgement)'),
      },
      'Difficulty multipliers (multiplied, then capped)',
    ),
    streak: group(
      {
        flatMin: num(30, 'Minutes of continuous engagement at ×1.0 before the streak factor rises (§1, Tucker et al. 2003/2006; judgement)', { min: 0 }),
        fullMin: positive(90, 'Minutes of continuous engagement at which the streak factor reaches its maximum (§2)'),
        max: factor(1.5, 'Streak factor from fullMin on (§2; half of Tucker\'s doubling, judgement)'),
        resetGapMin: positive(5, 'A pause of at least this many minutes without a contact resets the streak (§1, UK HSE guidance)'),
      },
      'Continuous-engagement (streak) factor',
    ),
    recovery: group(
      {
        handlingHalfLifeMin: positive(60, 'Half-life of A while handling a contact incl. wrap-up, minutes (§3, Meijman & Mulder 1998; judgement)'),
        availableHalfLifeMin: positive(15, 'Half-life of A while available or in a non-rest idle code, minutes (§3; judgement)'),
        restHalfLifeMin: positive(5, 'Half-life of A on a break, lunch, wellness break or rest idle code, minutes (§3, Albulescu et al. 2022; judgement)'),
        loggedOutHalfLifeMin: positive(120, 'Half-life of A while logged out, minutes (§3, Work & Stress 2023; judgement)'),
        chronicWorkHalfLifeDays: positive(5, 'Half-life of C on working days, days (§3, FAID 7-day history, Elfering 2021; judgement)'),
        chronicOffHalfLifeDays: positive(2.5, 'Half-life of C on days off, days (§3, de Bloom et al. 2013; judgement)'),
        dayOffAfterHours: positive(24, 'Logged-out time beyond this many hours of one logged-out spell counts as a day off for C (approximation of "day off"; judgement)'),
        wrapupMaxMin: positive(15, 'Wrap-up without a wrapup_done counts as handling for at most this many minutes (guard against lost signals; judgement)'),
      },
      'Recovery: decay half-lives',
    ),
    shiftEnd: group(
      {
        plainShare: num(0.05, 'Share of A moved into C at log-out (§3: plain workload barely carries over; judgement)', { min: 0, max: 1 }),
        abusiveShare: num(0.1, 'Share of the day\'s abusive load moved from A into C at log-out (§3, Wang 2013, Baranik 2017; judgement)', { min: 0, max: 1 }),
      },
      'Shift end: m = min(A, plainShare·A + abusiveShare·abusive load) moves from A to C',
    ),
    idleCodes: group(
      {
        inclusion: Type.Record(Type.String(), IdleCodeInclusionSchema, {
          default: {},
          description: 'Idle code → burnoutInclusion (Webex). Unlisted codes are INCLUDED; time in an EXCLUDED code does not enter the model (DESIGN.md)',
        }),
        restCodes: Type.Array(Type.String({ minLength: 1 }), {
          default: ['WellbeingBreak', 'Break', 'Lunch'],
          description: 'Idle codes that recover at the rest half-life (§3; WellbeingBreak is the system code of a wellness break, DESIGN.md)',
        }),
      },
      'Idle codes',
    ),
    abuseCluster: group(
      {
        windowMin: positive(60, 'Window in which abusive contacts are counted, minutes (§4, Wang et al. 2011; judgement)'),
        offerBreakAt: num(2, 'Abusive contacts within the window that trigger a break offer (§4; judgement)', { min: 1 }),
        alertSupervisorAt: num(3, 'Abusive contacts within the window that also alert a supervisor (§4; judgement)', { min: 1 }),
      },
      'Abuse-cluster trigger (beside the index)',
    ),
    baselines: group(
      {
        windowDays: num(28, 'Rolling window of the handle-time baseline, days (§5: four weekly cycles; judgement)', { min: 7 }),
        minInteractions: num(100, 'Interactions an agent needs in the window before their own baseline is used (§5; judgement)', { min: 1 }),
        newAgentDays: num(42, 'Days of tenure during which the queue baseline is used (§5: first 6 weeks, Gans et al. 2010)', { min: 0 }),
        fallbackVoiceSec: positive(270, 'Voice median handle time when no baseline has enough data, seconds (§6: median 4.5 min)'),
        fallbackChatSec: positive(480, 'Chat median when no baseline has enough data, seconds (§6: median 8 min)'),
        fallbackEmailSec: positive(300, 'Email median when no baseline has enough data, seconds (§6: median 5 min)'),
      },
      'Handle-time baselines',
    ),
    breakActions: group(
      {
        types: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
          default: ['Break Played', 'Wellness Break Played', 'Break Taken'],
          maxItems: 50,
          description:
            'Action types recorded through POST /v1/agentburnout/action that count as a played break and apply its recovery, matched ignoring case ' +
            '(Break Played is Webex\'s own; the other two are names partner apps use, judgement)',
        }),
        playedSec: num(60, 'Length of a break an app records as played, seconds: the action carries no duration, and a Webex wellness break lasts 60 s (DESIGN.md; §4)', {
          exclusiveMin: 0,
          max: 3600,
        }),
      },
      'Actions that count as a played break',
    ),
  },
  { additionalProperties: false, description: 'Burnout model constants of one organization (MODEL-EVIDENCE.md)' },
);
export type ModelConfig = Static<typeof ModelConfigSchema>;

/** The documented defaults, built from the schema so they are written once. */
export const DEFAULT_MODEL_CONFIG: ModelConfig = deepFreeze(Value.Default(ModelConfigSchema, {}) as ModelConfig);

/**
 * An organization's partial configuration → a complete, checked ModelConfig (missing values take the
 * defaults). Returns an AppError naming the field at fault instead of throwing.
 */
export function resolveModelConfig(partial: unknown = {}): ModelConfig | AppError {
  const value = Value.Default(ModelConfigSchema, Value.Clone(partial ?? {}));
  const problems = [...Value.Errors(ModelConfigSchema, value)].map((e) => `model config${e.path.replaceAll('/', '.')}: ${e.message}`);
  if (problems.length > 0) return validationError(...problems.slice(0, 10));
  const config = value as ModelConfig;
  const { moderateAt, highAt, criticalAt } = config.levels;
  if (!(moderateAt < highAt && highAt < criticalAt)) problems.push('model config.levels: need moderateAt < highAt < criticalAt');
  const d = config.difficulty;
  if (d.strongSentimentAtOrBelow > d.mildSentimentAtOrBelow) problems.push('model config.difficulty: strongSentimentAtOrBelow must not exceed mildSentimentAtOrBelow');
  if (d.negativeStrong < d.negativeMild) problems.push('model config.difficulty: negativeStrong must be at least negativeMild');
  if (d.targetedAbuse < d.abusive) problems.push('model config.difficulty: targetedAbuse must be at least abusive');
  if (d.veryLongHoldSec < d.longHoldSec || d.veryLongHold < d.longHold) problems.push('model config.difficulty: the very long hold must be longer and weigh at least as much as the long hold');
  if (config.streak.fullMin < config.streak.flatMin) problems.push('model config.streak: fullMin must be at least flatMin');
  if (config.abuseCluster.alertSupervisorAt < config.abuseCluster.offerBreakAt) problems.push('model config.abuseCluster: alertSupervisorAt must be at least offerBreakAt');
  return problems.length > 0 ? validationError(...problems) : config;
}

/**
 * A config saved before one of its settings existed (a snapshot's, or an input log entry's) with the
 * defaults of what it lacks; a complete one as it is.
 */
export function withDefaults(config: ModelConfig): ModelConfig {
  return Value.Check(ModelConfigSchema, config) ? config : (Value.Default(ModelConfigSchema, Value.Clone(config)) as ModelConfig);
}

/** Lower-cased break action types of a config's group, made once per group object (configs are replaced whole, never edited). */
const breakTypeSets = new WeakMap<ModelConfig['breakActions'], ReadonlySet<string>>();

/** Whether an action of this type is a played break under `config` (matched ignoring case). */
export function isBreakAction(config: ModelConfig, actionType: string): boolean {
  let types = breakTypeSets.get(config.breakActions);
  if (types === undefined) breakTypeSets.set(config.breakActions, (types = new Set(config.breakActions.types.map((t) => t.toLowerCase()))));
  return types.has(actionType.toLowerCase());
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
