// The persistence contract. SQLite (embedded default) implements it today; PostgreSQL will implement
// the same interface and run the same contract tests. Every method is async so either can sit behind it.
import type { Scope } from '../domain/scopes.ts';
import type { ActionRecord, Idempotency } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';
import type { EventEnvelope, NewEvent } from '../domain/events.ts';

export interface TokenRecord {
  id: string;
  orgId: string;
  scopes: Scope[];
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export type RecordActionResult =
  | { kind: 'created'; action: ActionRecord }
  | { kind: 'replayed'; action: ActionRecord }
  | { kind: 'conflict'; action: ActionRecord };

export interface ActionCursor {
  time: number;
  seq: number;
}

export interface ActionQuery {
  orgId: string;
  agentId?: string;
  interactionId?: string;
  actionType?: string;
  from?: number;
  to?: number;
  limit: number;
  before?: ActionCursor;
}

export interface ActionPage {
  items: ActionRecord[];
  next?: ActionCursor;
}

export type ConfigUpdateResult =
  | { kind: 'ok'; record: BurnoutConfigRecord }
  | { kind: 'stale'; current: BurnoutConfigRecord };

export interface EventQuery {
  orgId: string;
  after: number;
  types?: string[];
  agentId?: string;
  /** event time ≥ fromTime (epoch ms) */
  fromTime?: number;
  /** event time < toTime (epoch ms) */
  toTime?: number;
  limit: number;
}

export interface TokenRepo {
  create(token: TokenRecord, secretHash: string): Promise<void>;
  findByHash(secretHash: string): Promise<TokenRecord | undefined>;
  /**
   * The live token for this hash if the store holds it in memory and still knows it to be live, without
   * waiting (every request authenticates); undefined means "ask findByHash", not "unknown".
   */
  cached?(secretHash: string): TokenRecord | undefined;
  list(orgId?: string): Promise<TokenRecord[]>;
  revoke(id: string, at: number): Promise<boolean>;
}

/**
 * A log entry's inputs: a JSON array (src/engine/inputs.ts) as text, or as its UTF-8 bytes. Bytes are
 * handed over: a store may move their buffer to another thread, leaving the caller's view empty.
 */
export type LogInputs = string | Uint8Array<ArrayBuffer>;

/**
 * What the engine logs for inputs it applied: the entry's inputs (a JSON array) and the events they
 * produced. `inputs` null: nothing for a replay to apply (an action that is not a break), so no log entry,
 * only the events.
 */
export interface LogAppend {
  inputs: string | null;
  events: NewEvent[];
}

export interface ActionRepo {
  /**
   * Durable when the promise resolves (group-committed with concurrent writers). `effects` — the
   * engine's log entry for the action — commits in the same transaction when the action is created.
   */
  record(action: ActionRecord, idempotency?: Idempotency, effects?: LogAppend): Promise<RecordActionResult>;
  /** The action first recorded with this Idempotency-Key, and the hash of the request that recorded it. */
  findByKey(orgId: string, key: string): Promise<{ action: ActionRecord; requestHash: string | null } | undefined>;
  list(query: ActionQuery): Promise<ActionPage>;
}

export interface ConfigRepo {
  /** The org's one Agent Burnout record, created with the defaults on first use. */
  get(orgId: string, now: number): Promise<BurnoutConfigRecord>;
  update(next: BurnoutConfigRecord, expectedVersion: number | undefined): Promise<ConfigUpdateResult>;
  listOrgs(): Promise<BurnoutConfigRecord[]>;
}

export interface AgentSettingRepo {
  get(orgId: string, agentId: string): Promise<AgentSettingRecord | undefined>;
  put(record: AgentSettingRecord): Promise<void>;
  list(orgId: string, after: string | undefined, limit: number): Promise<AgentSettingRecord[]>;
  listAll(): Promise<AgentSettingRecord[]>;
}

export interface EventRepo {
  /** Appends with per-org increasing ids; durable when the promise resolves. */
  append(events: NewEvent[]): Promise<EventEnvelope[]>;
  list(query: EventQuery): Promise<EventEnvelope[]>;
}

export interface LogEntry {
  seq: number;
  orgId: string;
  /** JSON array of engine inputs (see src/engine/inputs.ts). */
  inputs: string;
}

export interface SnapshotSlot {
  snapshotId: number;
  /** The last log entry the snapshot covers. */
  seq: number;
}

/** A snapshot's bytes, read as they are written (see src/store/snapshot-bytes.ts). */
export interface SnapshotBytes {
  readonly byteLength: number;
  /** A copy of `length` bytes from `offset`. */
  read(offset: number, length: number): Uint8Array;
}

export interface EngineLogRepo {
  /**
   * Appends one entry and its events in one transaction; durable when the promise resolves.
   * `eraseAgents`: agents whose every past event is deleted in the same transaction (an excluded agent
   * has no events at all, DESIGN.md privacy). `inputs` null: no entry, only the events (and the key).
   * `key`: the Idempotency-Key of the ingest request these inputs came from, with its answer, committed
   * in the same transaction (see IngestKeyRepo).
   */
  append(orgId: string, inputs: LogInputs | null, events: NewEvent[], eraseAgents?: string[], key?: IngestKeyRecord): Promise<{ seq: number; events: EventEnvelope[] }>;
  /** Entries after `seq` in order, `limit` at a time. */
  after(seq: number, limit: number): Promise<LogEntry[]>;
  /**
   * Marks where a snapshot taken now stands in the log: it covers every entry appended before this call
   * (queued at once, behind them). The state is written later with saveSnapshot.
   */
  beginSnapshot(): Promise<SnapshotSlot>;
  /**
   * Writes the state of a begun snapshot (snapshot-codec.ts), reading it range by range as it goes; once
   * written it is the one a restart loads, and the entries it covers are pruned. Resolves with its seq.
   */
  saveSnapshot(slot: SnapshotSlot, state: SnapshotBytes, takenAt: number): Promise<number>;
  /** The newest saved snapshot: bytes, or the JSON text of a snapshot saved before the binary format. */
  latestSnapshot(): Promise<{ seq: number; state: Uint8Array | string } | undefined>;
}

/** An ingest request's Idempotency-Key and its first answer, as committed with the request's log entry (of its org). */
export interface IngestKeyRecord {
  key: string;
  /** Hash of the request body: the same key with another body is a conflict. */
  requestHash: string;
  /** The first answer's JSON (an IngestResult). */
  result: string;
  createdTime: number;
}

/** Idempotency-Keys of `POST /v1/signals`, each kept for INGEST_KEY_TTL_MS after its request. */
export interface IngestKeyRepo {
  find(orgId: string, key: string): Promise<Pick<IngestKeyRecord, 'requestHash' | 'result'> | undefined>;
}

/** How long an ingest request's Idempotency-Key is remembered: a day, as connectors retry within minutes. */
export const INGEST_KEY_TTL_MS = 24 * 3_600_000;

export interface ModelConfigRepo {
  get(orgId: string): Promise<{ version: number; config: unknown } | undefined>;
  put(orgId: string, config: unknown, expectedVersion: number | undefined, now: number): Promise<{ kind: 'ok'; version: number } | { kind: 'stale'; version: number }>;
  listAll(): Promise<{ orgId: string; version: number; config: unknown }[]>;
}

export interface Store {
  readonly engineLog: EngineLogRepo;
  readonly ingestKeys: IngestKeyRepo;
  readonly modelConfig: ModelConfigRepo;
  readonly tokens: TokenRepo;
  readonly actions: ActionRepo;
  readonly config: ConfigRepo;
  readonly agentSettings: AgentSettingRepo;
  readonly events: EventRepo;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
