// RSQL `filter` of the Webex list endpoints (`GET …/v2/agent-burnout`, `…/v2/ai-feature`) → a record
// predicate. Parsing is @rsql/parser's job; this module bounds the input and turns parser failures
// into validation errors that say what went wrong and where.
import { parse } from '@rsql/parser';
import type { ExpressionNode } from '@rsql/ast';
import { validationError } from './errors.ts';
import { compileExpression, type RecordPredicate } from './rsql/compile.ts';
import type { FieldSpec } from './rsql/fields.ts';

export { MAX_FILTER_DEPTH, type RecordPredicate } from './rsql/compile.ts';
export {
  fieldSpecFromSchema,
  FieldTypeSchema,
  type FieldSpec,
  type FieldSpecOptions,
  type FieldType,
} from './rsql/fields.ts';

export const MAX_FILTER_LENGTH = 2_000;

const matchEverything: RecordPredicate = () => true;
// The parser's whitespace set; a filter of only these has nothing in it.
const BLANK = /^[ \t\r\n]*$/;

/**
 * Compile once per request, then test each record. An absent or blank filter matches everything.
 * @throws AppError (validation) naming the syntax error and its position, or each comparison at fault.
 */
export function compileFilter(filter: string | undefined, fields: FieldSpec): RecordPredicate {
  if (filter === undefined || BLANK.test(filter)) return matchEverything;
  if (filter.length > MAX_FILTER_LENGTH) {
    throw validationError(`filter: ${filter.length} characters is longer than the limit of ${MAX_FILTER_LENGTH}`);
  }
  return compileExpression(parseFilter(filter), fields);
}

function parseFilter(filter: string): ExpressionNode {
  try {
    return parse(filter);
  } catch (error) {
    // SyntaxError for bad input; anything else the parser throws is still the input's fault, not a 500.
    const message = error instanceof Error ? error.message : String(error);
    throw validationError(`filter: ${describeSyntaxError(message, filter)}`);
  }
}

/**
 * The parser's messages quote the whole filter (up to 2,000 characters) and give no position for
 * "Unexpected end"; drop the echo and add the position, which is what a client needs to fix it.
 */
function describeSyntaxError(message: string, filter: string): string {
  const withoutEcho = message.split(` in "${filter}"`).join('');
  const endPosition = `Unexpected end at position ${filter.length + 1}`;
  return withoutEcho.startsWith('Unexpected end.') || withoutEcho === 'Unexpected end'
    ? endPosition + withoutEcho.slice('Unexpected end'.length)
    : withoutEcho;
}
