// The Webex v2 list endpoints: RSQL filter, attributes, page/pageSize and MetaDataWithPagingInfo.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError, assertReferenceList } from '../helpers/reference.ts';
import { MAX_PAGE_SIZE } from '../../src/http/routes/config.ts';

describe('configuration lists: /v2/agent-burnout and /v2/ai-feature', () => {
  let t: TestServer;
  let token: string;
  let id: string;
  const list = (kind: 'agent-burnout' | 'ai-feature', query: Record<string, string | number> = {}) => {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return t.call('GET', `/organization/${t.orgId}/v2/${kind}${search.size ? `?${search}` : ''}`, { token });
  };
  const burnoutIds = async (filter: string) => {
    const r = await list('agent-burnout', { filter });
    assert.equal(r.status, 200, `${filter}: ${JSON.stringify(r.body)}`);
    assertReferenceList('AgentBurnoutDTO', r.body);
    return r.body.data.map((d: { id: string }) => d.id);
  };

  before(async () => {
    t = await startTestServer();
    token = await t.token(['cjp:config_read', 'cjp:config_write']);
    id = (await list('agent-burnout')).body.data[0].id;
    // A non-default record, so filters on each field can both match and miss.
    const put = await t.call('PUT', `/organization/${t.orgId}/agent-burnout/${id}`, {
      token,
      body: { version: 0, enabled: true, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'DISABLED' },
    });
    assert.equal(put.status, 200);
  });
  after(() => t.close());

  for (const kind of ['agent-burnout', 'ai-feature'] as const) {
    test(`${kind}: answers one record with reference meta and paging links`, async () => {
      const r = await list(kind);
      assert.equal(r.status, 200);
      assertReferenceList(kind === 'agent-burnout' ? 'AgentBurnoutDTO' : 'AiFeatureDTO', r.body);
      assert.equal(r.body.data.length, 1);
      assert.equal(r.body.data[0].id, id);
      const { orgid, page, pageSize, totalPages, totalRecords, links } = r.body.meta;
      assert.deepEqual({ orgid, page, pageSize, totalPages, totalRecords }, { orgid: t.orgId, page: 0, pageSize: 100, totalPages: 1, totalRecords: 1 });
      assert.match(links.self, new RegExp(`^/organization/${t.orgId}/v2/${kind}\\?.*page=0`));
      assert.ok(links.first && links.last);
      assert.equal(links.next, undefined);
    });

    test(`${kind}: clamps a pageSize above the maximum and shows the clamp in meta`, async () => {
      const r = await list(kind, { pageSize: MAX_PAGE_SIZE * 5 });
      assert.equal(r.status, 200);
      assert.equal(r.body.meta.pageSize, MAX_PAGE_SIZE);
      assert.equal(r.body.data.length, 1);
    });

    test(`${kind}: a page beyond the end answers empty data`, async () => {
      const r = await list(kind, { page: 3, pageSize: 10 });
      assert.equal(r.status, 200);
      assertReferenceList(kind === 'agent-burnout' ? 'AgentBurnoutDTO' : 'AiFeatureDTO', r.body);
      assert.deepEqual(r.body.data, []);
      assert.equal(r.body.meta.page, 3);
      assert.equal(r.body.meta.totalRecords, 1);
    });

    test(`${kind}: refuses a negative page and a zero pageSize, naming them`, async () => {
      assertApiError(await list(kind, { page: -1 }), 400, /page/);
      assertApiError(await list(kind, { pageSize: 0 }), 400, /pageSize/);
      assertApiError(await list(kind, { page: 'first' }), 400, /page/);
    });

    test(`${kind}: filters by id with ==, !=, =in= and =out=`, async () => {
      const other = '57efb0e6-5af0-4245-a67d-d3c5045cdb6e';
      const count = async (filter: string) => {
        const r = await list(kind, { filter });
        assert.equal(r.status, 200, `${filter}: ${JSON.stringify(r.body)}`);
        return r.body.data.length;
      };
      assert.equal(await count(`id=="${id}"`), 1);
      assert.equal(await count(`id==${id}`), 1, 'unquoted values work when they have no spaces');
      assert.equal(await count(`id!="${id}"`), 0);
      assert.equal(await count(`id=in=("${other}","${id}")`), 1);
      assert.equal(await count(`id=in=("${other}")`), 0);
      assert.equal(await count(`id=out=("${other}")`), 1);
      assert.equal(await count(`id=out=("${other}","${id}")`), 0);
    });
  }

  test('agent-burnout: filters on every filterable field with and, or and parentheses', async () => {
    assert.deepEqual(await burnoutIds('enabled==true'), [id]);
    assert.deepEqual(await burnoutIds('enabled==false'), []);
    assert.deepEqual(await burnoutIds('agentInclusionType==SPECIFIC;wellnessBreakReminders==DISABLED'), [id]);
    assert.deepEqual(await burnoutIds('agentInclusionType==SPECIFIC and wellnessBreakReminders==ENABLED'), []);
    assert.deepEqual(await burnoutIds('agentInclusionType==ALL,version==1'), [id]);
    assert.deepEqual(await burnoutIds('agentInclusionType==ALL or version==2'), []);
    assert.deepEqual(await burnoutIds(`(enabled==false,version=in=(0,1));id=="${id}"`), [id]);
    assert.deepEqual(await burnoutIds(`enabled==false,(version=out=(0,1);id=="${id}")`), []);
  });

  test('refuses a malformed filter with 400 naming the problem', async () => {
    assertApiError(await list('agent-burnout', { filter: 'id==' }), 400, /filter.*Unexpected end/);
    assertApiError(await list('agent-burnout', { filter: 'id=="unterminated' }), 400, /filter/);
    assertApiError(await list('agent-burnout', { filter: '(enabled==true' }), 400, /filter/);
    assertApiError(await list('agent-burnout', { filter: 'nickname==x' }), 400, /nickname/);
    assertApiError(await list('agent-burnout', { filter: 'createdTime==1' }), 400, /createdTime/);
    assertApiError(await list('agent-burnout', { filter: 'version==many' }), 400, /version/);
    assertApiError(await list('ai-feature', { filter: 'enabled==true' }), 400, /enabled/);
  });

  test('attributes returns only the requested fields', async () => {
    const burnout = await list('agent-burnout', { attributes: 'id,enabled' });
    assert.equal(burnout.status, 200);
    assert.deepEqual(burnout.body.data, [{ id, enabled: true }]);
    const ai = await list('ai-feature', { attributes: 'agentWellbeing' });
    assert.equal(ai.status, 200);
    assert.deepEqual(Object.keys(ai.body.data[0]), ['agentWellbeing']);
    assert.equal(ai.body.data[0].agentWellbeing.enable, true);
    const filtered = await list('agent-burnout', { attributes: 'version', filter: 'enabled==true' });
    assert.deepEqual(filtered.body.data, [{ version: 1 }], 'the filter sees every field even when fewer are returned');
  });

  test('the AI-feature list selects members of agentWellbeing by dotted path', async () => {
    const ai = await list('ai-feature', { attributes: 'id,agentWellbeing.enable' });
    assert.equal(ai.status, 200, ai.text);
    assert.deepEqual(ai.body.data, [{ id, agentWellbeing: { enable: true } }]);
    assertApiError(await list('agent-burnout', { attributes: 'enabled.value' }), 400, /enabled\.value/);
  });

  test('refuses attributes that name an unknown field, whether or not the filter matches', async () => {
    assertApiError(await list('agent-burnout', { attributes: 'id,password' }), 400, /attributes.*password/);
    assertApiError(await list('agent-burnout', { attributes: 'bogus', filter: 'id==none' }), 400, /bogus/);
    assertApiError(await list('ai-feature', { attributes: 'agentWellbeing.nope', filter: 'id==none' }), 400, /agentWellbeing\.nope/);
  });
});
