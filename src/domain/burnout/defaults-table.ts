// Renders the model's defaults and their evidence as a Markdown table, straight from the schema,
// so README can never disagree with the code (a test compares the two).
import type { TSchema } from '@sinclair/typebox';
import { ModelConfigSchema } from './config.ts';

const show = (value: unknown) => (Array.isArray(value) ? value.join(', ') || '—' : typeof value === 'object' ? '{}' : String(value));

export function modelDefaultsTable(): string {
  const rows = ['| setting | default | evidence and reasoning |', '|---|---|---|'];
  for (const [group, groupSchema] of Object.entries(ModelConfigSchema.properties as Record<string, TSchema>)) {
    for (const [name, field] of Object.entries((groupSchema.properties ?? {}) as Record<string, TSchema>)) {
      const description = String(field.description ?? '').replaceAll('|', '\\|');
      rows.push(`| \`${group}.${name}\` | ${show(field.default)} | ${description} |`);
    }
  }
  return rows.join('\n');
}
