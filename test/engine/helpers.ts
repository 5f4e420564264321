// Engine test helpers over the real HTTP API: switch an organization's wellbeing on (it starts
// disabled), send signals, and read agents and events back.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CallResult } from '../helpers/server.ts';
import { ALL_SCOPES } from '../helpers/server.ts';
import type { Scope } from '../../src/domain/scopes.ts';
import { toNdjson } from './signal-builder.ts';

/** What the helpers need from a server: the in-process TestServer and a child-process wrapper both fit. */
export interface Caller {
  call<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; contentType?: string; headers?: Record<string, string> }): Promise<CallResult<T>>;
}

export interface OrgClient {
  orgId: string;
  token: string;
  /** Calls with this org's token. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<CallResult<T>>;
}

export function orgClient(server: Caller, orgId: string, token: string): OrgClient {
  return { orgId, token, call: (method, path, body, headers) => server.call(method, path, { token, body, headers }) };
}

/** A fresh organization with an all-scopes token, on a server that can mint tokens. */
export async function freshOrg(server: Caller & { token(scopes?: Scope[], orgId?: string): Promise<string> }): Promise<OrgClient> {
  const orgId = randomUUID();
  return orgClient(server, orgId, await server.token(ALL_SCOPES, orgId));
}

/** A fresh organization with agent wellbeing switched on (the Webex default is off). */
export async function enabledOrg(server: Parameters<typeof freshOrg>[0]): Promise<OrgClient> {
  const org = await freshOrg(server);
  await enableWellbeing(org);
  return org;
}

export interface WellbeingSettings {
  enable?: boolean;
  agentInclusionType?: 'ALL' | 'SPECIFIC';
  wellnessBreakReminders?: 'ENABLED' | 'DISABLED';
}

/** PATCHes the org's agentWellbeing member (through the ai-feature view, as a Webex admin would). */
export async function setWellbeing(org: OrgClient, settings: WellbeingSettings = { enable: true }): Promise<void> {
  const list = await org.call('GET', `/organization/${org.orgId}/v2/ai-feature`);
  assert.equal(list.status, 200, list.text);
  const id: string = list.body.data[0].id;
  const patched = await org.call('PATCH', `/organization/${org.orgId}/ai-feature/${id}`, { agentWellbeing: settings });
  assert.equal(patched.status, 200, patched.text);
  if (settings.enable !== undefined) assert.equal(patched.body.agentWellbeing.enable, settings.enable);
}

/** Wellbeing on, with break reminders (so break recommendations are emitted too). */
export const enableWellbeing = (org: OrgClient) => setWellbeing(org, { enable: true, wellnessBreakReminders: 'ENABLED' });

export async function setAgentInclusion(org: OrgClient, agentId: string, inclusion: 'INCLUDED' | 'EXCLUDED'): Promise<void> {
  const r = await org.call('PUT', `/v1/agent-settings/${encodeURIComponent(agentId)}`, { userLevelBurnoutInclusion: inclusion });
  assert.equal(r.status, 200, r.text);
}

export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  errors: { index: number; reason: string }[];
}

/** Sends signals as NDJSON and returns the parsed answer (asserting a 200). */
export async function ingest(org: OrgClient, signals: readonly unknown[]): Promise<IngestAnswer> {
  const r = await ingestRaw(org, toNdjson(signals));
  assert.equal(r.status, 200, r.text);
  return r.body;
}

export function ingestRaw(org: OrgClient, ndjson: string): Promise<CallResult<IngestAnswer>> {
  return org.call('POST', '/v1/signals', ndjson, { 'content-type': 'application/x-ndjson' });
}

/** Sends signals in batches of at most `batch` lines, asserting every one is accepted. */
export async function ingestAll(org: OrgClient, signals: readonly unknown[], batch = 5000): Promise<void> {
  for (let i = 0; i < signals.length; i += batch) {
    const answer = await ingest(org, signals.slice(i, i + batch));
    assert.deepEqual(answer.errors, [], 'no signal of a generated batch is rejected');
    assert.equal(answer.accepted, Math.min(batch, signals.length - i));
  }
}

export interface AgentDto {
  agentId: string;
  burnoutIndex: number;
  level: string;
  state: string;
  factors: Record<string, number>;
  updatedAt: number;
}

/**
 * Every agent of the org, following meta.links.next. By default as of each agent's latest signal
 * (`at=0`): the same answer whenever it is asked, where a read at now recovers with the clock.
 */
export async function listAllAgents(org: OrgClient, query = 'limit=1000&at=0'): Promise<AgentDto[]> {
  const agents: AgentDto[] = [];
  let path: string | undefined = `/v1/agents?${query}`;
  for (let pages = 0; path !== undefined; pages++) {
    assert.ok(pages < 10_000, 'paging terminates');
    const r: CallResult = await org.call('GET', path);
    assert.equal(r.status, 200, r.text);
    agents.push(...r.body.data);
    path = r.body.meta.links.next;
  }
  return agents;
}

/** One agent, as of their latest signal unless `at` (epoch ms) says otherwise. */
export async function getAgent(org: OrgClient, agentId: string, at = 0): Promise<AgentDto> {
  const r = await org.call('GET', `/v1/agents/${encodeURIComponent(agentId)}?at=${at}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

export interface EventDto {
  id: number;
  type: string;
  orgId: string;
  agentId?: string;
  interactionId?: string;
  time: number;
  data: Record<string, any>;
}

/** Every event of the org after `after` (optionally of some types), following meta.links.next. */
export async function listAllEvents(org: OrgClient, query: { after?: number; type?: string; limit?: number } = {}): Promise<EventDto[]> {
  const params = new URLSearchParams({ after: String(query.after ?? 0), limit: String(query.limit ?? 1000) });
  if (query.type) params.set('type', query.type);
  const events: EventDto[] = [];
  let path: string | undefined = `/v1/events?${params}`;
  for (let pages = 0; path !== undefined; pages++) {
    assert.ok(pages < 10_000, 'paging terminates');
    const r: CallResult = await org.call('GET', path);
    assert.equal(r.status, 200, r.text);
    events.push(...r.body.data);
    path = r.body.meta.links.next;
  }
  return events;
}

export const lastEventId = async (org: OrgClient) => (await listAllEvents(org)).at(-1)?.id ?? 0;

/** Sum of an index's factors (index points). */
export const factorSum = (factors: Record<string, number>) => Object.values(factors).reduce((a, b) => a + b, 0);

/** The agents' visible state, keyed by agentId: what a restart must reproduce exactly. */
export const byAgent = (agents: AgentDto[]) => new Map(agents.map((a) => [a.agentId, a]));
