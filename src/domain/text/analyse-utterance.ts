// In-memory analysis of one utterance's text: the text goes in, only derived values come out, and
// nothing here keeps a copy (privacy rule: transcript text is never stored). No I/O, no network, no
// model download — lexicons ship inside the `sentiment` and `obscenity` packages.
import { Type } from '../../typebox.ts';
import type { Static } from '@sinclair/typebox';
import { detectAbuse } from './abuse.ts';
import { prepareText } from './prepare-text.ts';
import { scoreSentiment } from './sentiment.ts';

export const UtteranceAnalysisSchema = Type.Object({
  /** −1 (very negative) … 1; see sentiment.ts for the scale (what it means to the model: its config's thresholds). English only. */
  sentiment: Type.Number({ minimum: -1, maximum: 1 }),
  /** Profanity, insults or threats; contextual words ("useless") only when aimed at the listener. */
  abusive: Type.Boolean(),
  /** Abuse aimed at the agent: second person near it, or anywhere during an interruption. */
  targeted: Type.Boolean(),
});
export type UtteranceAnalysis = Static<typeof UtteranceAnalysisSchema>;

export interface UtteranceOptions {
  /** The customer was talking over the agent (Walker et al. 2017: "you/your" + interruptions). */
  interruption?: boolean;
}

/** Never throws; text beyond MAX_UTTERANCE_TEXT characters is ignored. */
export function analyseUtterance(text: string, opts: UtteranceOptions = {}): UtteranceAnalysis {
  const prepared = prepareText(typeof text === 'string' ? text : '');
  if (prepared.trim().length === 0) return { sentiment: 0, abusive: false, targeted: false };
  return { sentiment: scoreSentiment(prepared), ...detectAbuse(prepared, opts.interruption === true) };
}
