// Validators for the Webex reference schemas, loaded at test time from ../shared/reference/ (beside the
// repo here and in CI) so a response is checked against the published contract, never a hand copy of it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import ajv2020Module from 'ajv/dist/2020.js';
import ajvModule, { type ValidateFunction, type AnySchemaObject } from 'ajv';
import ajvFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

// CommonJS packages seen from ESM: the class is the module's `default` member (also at runtime).
const Ajv2020 = ajv2020Module.default;
const Ajv = ajvModule.default;
const addFormats = ajvFormatsModule.default;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REFERENCE_DIR = resolve(repoRoot, '../shared/reference');

const readReference = (file: string): string => readFileSync(resolve(REFERENCE_DIR, file), 'utf8');

/**
 * The JSON files declare `$id: "#/components/schemas/X"`, a fragment-only id that draft 2020-12 does not
 * allow; give each a proper id instead (the schema itself is untouched).
 */
function jsonSchema(file: string, id: string): AnySchemaObject {
  const schema = JSON.parse(readReference(file)) as AnySchemaObject;
  return { ...schema, $id: id };
}

const ajv2020 = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv2020);
const jsonIds = {
  ActionRequest: 'webex-actionrequest-schema.json',
  ActionResponse: 'webex-actionresponse-schema.json',
  AgentBurnoutDTO: 'webex-agentburnoutdto-schema.json',
  AgentWellbeingDTO: 'webex-agentwellbeingdto-schema.json',
} as const;
const jsonSchemas = Object.fromEntries(
  Object.entries(jsonIds).map(([name, file]) => [name, jsonSchema(file, `https://reference.respite.test/${file}`)]),
) as Record<keyof typeof jsonIds, AnySchemaObject>;

// OpenAPI 3.0 schemas are (close to) draft-07. Each YAML's components become one schema document with
// its own id, so the specs' `#/components/schemas/...` refs resolve inside that document unchanged.
const ajv07 = new Ajv({ allErrors: true, strict: false });
addFormats(ajv07);
function openApiComponents(file: string): (name: string) => ValidateFunction {
  const spec = parseYaml(readReference(file)) as { components: { schemas: Record<string, unknown> } };
  const id = `https://reference.respite.test/${file}`;
  ajv07.addSchema({ $id: id, components: { schemas: spec.components.schemas } });
  return (name) => {
    assert.ok(spec.components.schemas[name], `${file} has no component schema ${name}`);
    const validate = ajv07.getSchema(`${id}#/components/schemas/${name}`);
    assert.ok(validate, `could not compile ${name} from ${file}`);
    return validate;
  };
}
const wellbeingComponent = openApiComponents('webex-agent-wellbeing-api-openapi.yml');
const aiFeatureComponent = openApiComponents('webex-ai-feature-api-openapi.yml');

export const referenceValidators = {
  ActionRequest: ajv2020.compile(jsonSchemas.ActionRequest),
  ActionResponse: ajv2020.compile(jsonSchemas.ActionResponse),
  AgentBurnoutDTO: ajv2020.compile(jsonSchemas.AgentBurnoutDTO),
  AgentWellbeingDTO: ajv2020.compile(jsonSchemas.AgentWellbeingDTO),
  ApiErrorResponse: wellbeingComponent('ApiErrorResponse'),
  MetaDataWithPagingInfo: wellbeingComponent('MetaDataWithPagingInfo'),
  SubscriptionResponse: wellbeingComponent('SubscriptionResponse'),
  AiFeatureDTO: aiFeatureComponent('AiFeatureDTO'),
};
export type ReferenceSchemaName = keyof typeof referenceValidators;

/**
 * The reference declares no `required` members and allows any extra ones, so "validates" alone would
 * accept `{}`. This stricter form of a JSON-file schema requires every declared property and forbids
 * undeclared ones, at every object level: "exactly the seed schema's fields".
 */
function closed(schema: AnySchemaObject, optional: readonly string[]): AnySchemaObject {
  const properties = schema.properties as Record<string, AnySchemaObject> | undefined;
  if (schema.type !== 'object' || !properties) return schema;
  const closedProperties = Object.fromEntries(
    Object.entries(properties).map(([name, child]) => [name, closed(child, optional)]),
  );
  return {
    ...schema,
    properties: closedProperties,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    additionalProperties: false,
  };
}

const exactValidators = {
  ActionResponse: ajv2020.compile(closed({ ...jsonSchemas.ActionResponse, $id: `${jsonSchemas.ActionResponse.$id}?exact` }, [])),
  AgentBurnoutDTO: ajv2020.compile(closed({ ...jsonSchemas.AgentBurnoutDTO, $id: `${jsonSchemas.AgentBurnoutDTO.$id}?exact` }, [])),
};

function check(validate: ValidateFunction, value: unknown, label: string): void {
  const ok = validate(value);
  assert.ok(ok, `${label} does not match the reference schema: ${ajv07.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`);
}

/** Asserts `value` validates against the named reference schema. */
export function assertMatchesReference(name: ReferenceSchemaName, value: unknown): void {
  check(referenceValidators[name], value, name);
}

/** Asserts `value` has every field the reference schema declares and no other (nested objects too). */
export function assertExactlyReference(name: keyof typeof exactValidators, value: unknown): void {
  check(exactValidators[name], value, `${name} (exact)`);
}

/** A Webex list answer: `data` items against the DTO, `meta` against MetaDataWithPagingInfo. */
export function assertReferenceList(itemSchema: ReferenceSchemaName, body: { data?: unknown; meta?: unknown }): void {
  assert.ok(Array.isArray(body.data), `list body has no data array: ${JSON.stringify(body)}`);
  body.data.forEach((item, i) => check(referenceValidators[itemSchema], item, `${itemSchema} data[${i}]`));
  check(referenceValidators.MetaDataWithPagingInfo, body.meta, 'MetaDataWithPagingInfo');
}

/**
 * An error answer: the status, an ApiErrorResponse body whose key is the status, at least one description,
 * and (when given) a description matching `mentions` — "naming the offending field".
 */
export function assertApiError(
  response: { status: number; body: any; headers: Headers },
  status: number,
  mentions?: RegExp,
): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  check(referenceValidators.ApiErrorResponse, response.body, `ApiErrorResponse (${status})`);
  assert.equal(response.body.error.key, String(status));
  assert.equal(typeof response.body.trackingId, 'string');
  assert.equal(response.headers.get('trackingid'), response.body.trackingId);
  // Shaped as Webex's examples: each message repeats the status as its code, with empty references.
  for (const m of response.body.error.message) {
    assert.equal(m.code, String(status));
    assert.deepEqual(m.references, []);
    if ('entity' in m) assert.equal(typeof m.entity, 'string');
  }
  const descriptions: string[] = response.body.error.message.map((m: { description: string }) => m.description);
  assert.ok(descriptions.length > 0 && descriptions.every((d) => d.length > 0), 'error has no description');
  if (mentions) assert.ok(descriptions.some((d) => mentions.test(d)), `no description matches ${mentions}: ${JSON.stringify(descriptions)}`);
}
