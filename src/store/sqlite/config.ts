import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { ConfigRepo, AgentSettingRepo, ConfigUpdateResult } from '../types.ts';
import { defaultBurnoutConfig, type BurnoutConfigRecord, type AgentSettingRecord } from '../../domain/burnout-config.ts';

interface ConfigRow {
  org_id: string;
  id: string;
  version: number;
  enabled: number;
  agent_inclusion_type: BurnoutConfigRecord['agentInclusionType'];
  wellness_break_reminders: BurnoutConfigRecord['wellnessBreakReminders'];
  created_time: number;
  last_updated_time: number;
}

const toConfig = (r: ConfigRow): BurnoutConfigRecord => ({
  orgId: r.org_id,
  id: r.id,
  version: r.version,
  enabled: r.enabled === 1,
  agentInclusionType: r.agent_inclusion_type,
  wellnessBreakReminders: r.wellness_break_reminders,
  createdTime: r.created_time,
  lastUpdatedTime: r.last_updated_time,
});

const configParams = (r: BurnoutConfigRecord) => ({ ...r, enabled: r.enabled ? 1 : 0 });

/** Runs on the writer thread. */
export function configWrites(db: Db) {
  const get = db.prepare<[string], ConfigRow>('SELECT * FROM burnout_config WHERE org_id = ?');
  const insert = db.prepare(
    `INSERT INTO burnout_config (org_id, id, version, enabled, agent_inclusion_type, wellness_break_reminders, created_time, last_updated_time)
     VALUES (@orgId, @id, @version, @enabled, @agentInclusionType, @wellnessBreakReminders, @createdTime, @lastUpdatedTime)
     ON CONFLICT (org_id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE burnout_config SET version = @version, enabled = @enabled, agent_inclusion_type = @agentInclusionType,
       wellness_break_reminders = @wellnessBreakReminders, last_updated_time = @lastUpdatedTime
     WHERE org_id = @orgId AND version = @expected`,
  );
  const upsertSetting = db.prepare(
    `INSERT INTO agent_settings (org_id, agent_id, burnout_inclusion, wellness_break_reminders, updated_time) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (org_id, agent_id) DO UPDATE SET burnout_inclusion = excluded.burnout_inclusion,
       wellness_break_reminders = excluded.wellness_break_reminders, updated_time = excluded.updated_time`,
  );
  return {
    /** The org's record, created from `fallback` when it has none yet (first use). */
    ensureConfig(fallback: BurnoutConfigRecord): BurnoutConfigRecord {
      insert.run(configParams(fallback));
      return toConfig(get.get(fallback.orgId)!);
    },
    updateConfig(next: BurnoutConfigRecord, expectedVersion: number | undefined): ConfigUpdateResult {
      const current = toConfig(get.get(next.orgId)!);
      if (expectedVersion !== undefined && expectedVersion !== current.version) return { kind: 'stale', current };
      const record = { ...next, version: current.version + 1 };
      update.run({ ...configParams(record), expected: current.version });
      return { kind: 'ok', record };
    },
    putAgentSetting(r: AgentSettingRecord): void {
      upsertSetting.run(r.orgId, r.agentId, r.userLevelBurnoutInclusion, r.userLevelWellnessBreakReminders, r.updatedTime);
    },
  };
}

export function sqliteConfig(db: Db, writer: WriterThread): ConfigRepo {
  const get = db.prepare<[string], ConfigRow>('SELECT * FROM burnout_config WHERE org_id = ?');
  const all = db.prepare<[], ConfigRow>('SELECT * FROM burnout_config ORDER BY org_id');
  return {
    async get(orgId, now) {
      const row = get.get(orgId);
      return row ? toConfig(row) : writer.run('ensureConfig', defaultBurnoutConfig(orgId, randomUUID(), now));
    },
    update(next, expectedVersion) {
      return writer.run('updateConfig', next, expectedVersion);
    },
    async listOrgs() {
      return all.all().map(toConfig);
    },
  };
}

interface SettingRow {
  org_id: string;
  agent_id: string;
  burnout_inclusion: AgentSettingRecord['userLevelBurnoutInclusion'];
  wellness_break_reminders: AgentSettingRecord['userLevelWellnessBreakReminders'];
  updated_time: number;
}

const toSetting = (r: SettingRow): AgentSettingRecord => ({
  orgId: r.org_id,
  agentId: r.agent_id,
  userLevelBurnoutInclusion: r.burnout_inclusion,
  userLevelWellnessBreakReminders: r.wellness_break_reminders,
  updatedTime: r.updated_time,
});

export function sqliteAgentSettings(db: Db, writer: WriterThread): AgentSettingRepo {
  const get = db.prepare<[string, string], SettingRow>('SELECT * FROM agent_settings WHERE org_id = ? AND agent_id = ?');
  const page = db.prepare<[string, string, number], SettingRow>(
    'SELECT * FROM agent_settings WHERE org_id = ? AND agent_id > ? ORDER BY agent_id LIMIT ?',
  );
  const all = db.prepare<[], SettingRow>('SELECT * FROM agent_settings');
  return {
    async get(orgId, agentId) {
      const row = get.get(orgId, agentId);
      return row && toSetting(row);
    },
    put(r) {
      return writer.run('putAgentSetting', r);
    },
    async list(orgId, after, limit) {
      return page.all(orgId, after ?? '', limit).map(toSetting);
    },
    async listAll() {
      return all.all().map(toSetting);
    },
  };
}
