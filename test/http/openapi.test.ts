// GET /openapi.json describes every route the server serves (Webex's and Respite's own); /docs renders it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { REFERENCE_DIR } from '../helpers/reference.ts';

type Paths = Record<string, Record<string, unknown>>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** "METHOD /path/{param}" for every operation of an OpenAPI paths object. */
const operationsOf = (paths: Paths) =>
  Object.entries(paths).flatMap(([path, item]) => Object.keys(item).filter((m) => HTTP_METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

/**
 * Every route Fastify serves, from its printRoutes tree ("├── /v1/x (GET, HEAD)", children indented
 * four columns and continuing their parent's path), as "METHOD /path/{param}".
 */
function servedRoutes(tree: string): string[] {
  const prefixes: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[├└]── (.*) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) return [];
    const depth = match[1].length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2];
    prefixes[depth] = path;
    const openApiPath = path.replace(/:(\w+)/g, '{$1}');
    return match[3].split(', ').filter((m) => m !== 'HEAD').map((m) => `${m} ${openApiPath}`);
  });
}

describe('OpenAPI and docs', () => {
  let t: TestServer;
  let documented: Set<string>;
  before(async () => {
    t = await startTestServer();
    const r = await t.call('GET', '/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.body.openapi, /^3\./);
    documented = new Set(operationsOf(r.body.paths));
  });
  after(() => t.close());

  test('describes the Webex routes Respite implements, by the reference\'s own paths', () => {
    const wellbeing = parseYaml(readFileSync(resolve(REFERENCE_DIR, 'webex-agent-wellbeing-api-openapi.yml'), 'utf8'));
    const aiFeature = parseYaml(readFileSync(resolve(REFERENCE_DIR, 'webex-ai-feature-api-openapi.yml'), 'utf8'));
    const required = [
      'POST /v1/agentburnout/action',
      'GET /organization/{orgid}/agent-burnout/{id}',
      'PUT /organization/{orgid}/agent-burnout/{id}',
      'GET /organization/{orgid}/v2/agent-burnout',
      'GET /organization/{orgid}/ai-feature/{id}',
      'PATCH /organization/{orgid}/ai-feature/{id}',
      'GET /organization/{orgid}/v2/ai-feature',
    ];
    const inReference = new Set([...operationsOf(wellbeing.paths), ...operationsOf(aiFeature.paths)]);
    for (const operation of required) {
      assert.ok(inReference.has(operation), `${operation} is not a reference operation (test is out of date)`);
      assert.ok(documented.has(operation), `${operation} is missing from /openapi.json`);
    }
  });

  test("describes Respite's own routes", () => {
    for (const operation of ['GET /v1/agentburnout/actions', 'GET /v1/agent-settings', 'GET /v1/agent-settings/{agentId}', 'PUT /v1/agent-settings/{agentId}', 'GET /healthz', 'GET /readyz']) {
      assert.ok(documented.has(operation), `${operation} is missing from /openapi.json`);
    }
  });

  test('describes every route the server serves, and only those', () => {
    const served = servedRoutes(t.server.app.printRoutes({ commonPrefix: false }))
      // The documentation's own routes are not part of the API it documents.
      .filter((op) => !/ \/(docs|openapi\.json)\b/.test(op));
    // Guards the tree parser: a nested child ("└── s" under /action) and a parameter segment.
    for (const known of ['GET /v1/agentburnout/actions', 'PUT /v1/agent-settings/{agentId}']) {
      assert.ok(served.includes(known), `route table not read correctly: ${served.join(', ')}`);
    }
    assert.deepEqual(served.filter((op) => !documented.has(op)), [], 'served but undocumented');
    assert.deepEqual([...documented].filter((op) => !served.includes(op)), [], 'documented but not served');
  });

  test('every operation documents the shape of its success answer and of its errors, and every body route its body', async () => {
    const spec = (await t.call('GET', '/openapi.json')).body;
    const missing: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const name = `${method.toUpperCase()} ${path}`;
        const ok = operation.responses?.['200']?.content?.['application/json']?.schema;
        if (!ok?.type && !ok?.$ref) missing.push(`${name}: 200 schema`);
        if (!operation.responses?.['4XX'] && !operation.responses?.['4xx']) missing.push(`${name}: 4XX schema`);
        if (['post', 'put', 'patch'].includes(method) && !operation.requestBody?.content) missing.push(`${name}: request body`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('/docs answers 200 with an HTML page without a token', async () => {
    const r = await t.call('GET', '/docs');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /<html/i);
    assert.match(r.text, /swagger/i);
  });
});
