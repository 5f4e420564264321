// RSQL syntax tree (from @rsql/parser) → a predicate over records. Every problem found is collected
// so one response names all of them, each with the comparison it came from.
import type { ComparisonNode, ExpressionNode, LogicNode } from '@rsql/ast';
import { validationError } from '../errors.ts';
import { readPath, type FieldSpec, type FieldType } from './fields.ts';
import { compileWildcard, convertValue, typedValue, type Scalar } from './values.ts';

export type RecordPredicate = (record: Record<string, unknown>) => boolean;

/** Nesting is counted in and/or groups that alternate; redundant parentheses cost nothing. */
export const MAX_FILTER_DEPTH = 32;
const MAX_REPORTED_PROBLEMS = 10;

type Operator = '==' | '!=' | '=in=' | '=out=' | '<' | '<=' | '>' | '>=';
const OPERATOR_ALIASES: Readonly<Record<string, Operator>> = {
  '==': '==',
  '!=': '!=',
  '=in=': '=in=',
  '=out=': '=out=',
  '<': '<',
  '=lt=': '<',
  '<=': '<=',
  '=le=': '<=',
  '>': '>',
  '=gt=': '>',
  '>=': '>=',
  '=ge=': '>=',
};
const SUPPORTED_OPERATORS = '==, !=, =in=, =out=, =lt= (<), =le= (<=), =gt= (>), =ge= (>=)';
const ORDERING: ReadonlySet<Operator> = new Set(['<', '<=', '>', '>=']);
const LIST: ReadonlySet<Operator> = new Set(['=in=', '=out=']);

type Group = 'and' | 'or';
const groupOf = (node: LogicNode): Group => (node.operator === ';' || node.operator === 'and' ? 'and' : 'or');

export function compileExpression(root: ExpressionNode, fields: FieldSpec): RecordPredicate {
  const problems: string[] = [];
  const predicate = compileNode(root, fields, problems, 0);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    const hidden = problems.length - shown.length;
    throw validationError(...shown, ...(hidden > 0 ? [`filter: ${hidden} more problem(s) not shown`] : []));
  }
  return predicate;
}

function compileNode(node: ExpressionNode, fields: FieldSpec, problems: string[], depth: number): RecordPredicate {
  if (node.type === 'COMPARISON') return compileComparison(node, fields, problems);
  if (depth >= MAX_FILTER_DEPTH) {
    throw validationError(`filter: nested deeper than ${MAX_FILTER_DEPTH} levels of and/or groups`);
  }
  const group = groupOf(node);
  const parts = sameGroupOperands(node, group).map((operand) => compileNode(operand, fields, problems, depth + 1));
  return group === 'and' ? (record) => parts.every((p) => p(record)) : (record) => parts.some((p) => p(record));
}

/**
 * `a;b;c` arrives as a chain ((a;b);c) as long as the filter; flattening it without recursion keeps
 * both compiling and evaluating bounded by the real nesting, not by the filter's length.
 */
function sameGroupOperands(node: LogicNode, group: Group): ExpressionNode[] {
  const operands: ExpressionNode[] = [];
  const pending: ExpressionNode[] = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.type === 'LOGIC' && groupOf(next) === group) pending.push(next.right, next.left);
    else operands.push(next);
  }
  return operands;
}

const NEVER: RecordPredicate = () => false;

function compileComparison(node: ComparisonNode, fields: FieldSpec, problems: string[]): RecordPredicate {
  const field = node.left.selector;
  const raw = node.right.value;
  const where = `in ${describeComparison(field, node.operator, raw)}`;
  const problemCount = problems.length;

  const type: FieldType | undefined = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (type === undefined) {
    const allowed = Object.keys(fields).sort().join(', ') || '(none)';
    problems.push(`filter: unknown field "${truncate(field)}" ${where}; allowed fields: ${allowed}`);
  }
  const operator: Operator | undefined = Object.hasOwn(OPERATOR_ALIASES, node.operator)
    ? OPERATOR_ALIASES[node.operator]
    : undefined;
  if (operator === undefined) {
    const shown = truncate(node.operator);
    problems.push(`filter: unsupported operator "${shown}" ${where}; supported: ${SUPPORTED_OPERATORS}`);
  } else if (type !== undefined && ORDERING.has(operator) && type !== 'number') {
    problems.push(`filter: operator "${node.operator}" needs a number field but "${field}" is a ${type} ${where}`);
  }
  if (operator !== undefined && !LIST.has(operator) && Array.isArray(raw)) {
    problems.push(`filter: operator "${node.operator}" takes one value, not a list ${where}`);
  }
  if (type === undefined || operator === undefined || problems.length > problemCount) return NEVER;

  const values: Scalar[] = [];
  for (const text of Array.isArray(raw) ? raw : [raw]) {
    const converted = convertValue(text, type);
    if (converted.ok) values.push(converted.value);
    else {
      const shown = JSON.stringify(truncate(text));
      problems.push(`filter: ${shown} is not a valid ${type} for field "${field}" (${converted.reason}) ${where}`);
    }
  }
  if (problems.length > problemCount) return NEVER;
  return comparisonPredicate(field, type, operator, values);
}

function comparisonPredicate(field: string, type: FieldType, operator: Operator, values: Scalar[]): RecordPredicate {
  const valueOf = (record: Record<string, unknown>) => typedValue(readPath(record, field), type);
  switch (operator) {
    case '==':
    case '!=': {
      const matches = equalityTest(type, values[0]);
      const wanted = operator === '==';
      return (record) => matches(valueOf(record)) === wanted;
    }
    case '=in=':
    case '=out=': {
      const set = new Set(values);
      const wanted = operator === '=in=';
      return (record) => {
        const value = valueOf(record);
        return (value !== undefined && set.has(value)) === wanted;
      };
    }
    default: {
      const bound = values[0] as number;
      const holds = ORDER_TESTS[operator];
      return (record) => {
        const value = valueOf(record);
        return typeof value === 'number' && holds(value, bound);
      };
    }
  }
}

const ORDER_TESTS: Record<'<' | '<=' | '>' | '>=', (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function equalityTest(type: FieldType, expected: Scalar): (value: Scalar | undefined) => boolean {
  if (type === 'string') {
    const matches = compileWildcard(expected as string);
    return (value) => value !== undefined && matches(value as string);
  }
  return (value) => value === expected;
}

// Descriptions go back to the client: show the comparison the way it was (near enough) written, briefly.
function describeComparison(field: string, operator: string, value: string | string[]): string {
  const shown = Array.isArray(value) ? `(${value.map(describeValue).join(',')})` : describeValue(value);
  return truncate(`${field}${operator}${shown}`, 120);
}

const PLAIN_VALUE = /^[^"'();,=!~<> \t\r\n]+$/;
function describeValue(value: string): string {
  return PLAIN_VALUE.test(value) ? truncate(value) : JSON.stringify(truncate(value));
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
