// The organization's Agent Burnout configuration: one record, two Webex views of it
// (the older AgentBurnoutDTO with `enabled`, the AI-feature view with `agentWellbeing.enable`).
import { Type } from '../typebox.ts';
import type { Static } from '@sinclair/typebox';

export const InclusionTypeSchema = Type.Union([Type.Literal('ALL'), Type.Literal('SPECIFIC')]);
export const RemindersSchema = Type.Union([Type.Literal('DISABLED'), Type.Literal('ENABLED')]);
export type InclusionType = Static<typeof InclusionTypeSchema>;
export type Reminders = Static<typeof RemindersSchema>;

export interface BurnoutConfigRecord {
  orgId: string;
  id: string;
  version: number;
  enabled: boolean;
  agentInclusionType: InclusionType;
  wellnessBreakReminders: Reminders;
  createdTime: number;
  lastUpdatedTime: number;
}

export function defaultBurnoutConfig(orgId: string, id: string, now: number): BurnoutConfigRecord {
  return {
    orgId,
    id,
    version: 0,
    enabled: false,
    agentInclusionType: 'ALL',
    wellnessBreakReminders: 'DISABLED',
    createdTime: now,
    lastUpdatedTime: now,
  };
}

export const AgentBurnoutDTOSchema = Type.Object({
  organizationId: Type.Optional(Type.String({ minLength: 32, maxLength: 36, pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' })),
  id: Type.Optional(Type.String({ maxLength: 64 })),
  version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  enabled: Type.Boolean(),
  agentInclusionType: InclusionTypeSchema,
  wellnessBreakReminders: Type.Optional(RemindersSchema),
  createdTime: Type.Optional(Type.Integer()),
  lastUpdatedTime: Type.Optional(Type.Integer()),
});
export type AgentBurnoutDTO = Static<typeof AgentBurnoutDTOSchema>;

export const AgentWellbeingDTOSchema = Type.Object({
  enable: Type.Boolean(),
  agentInclusionType: InclusionTypeSchema,
  wellnessBreakReminders: Type.Optional(RemindersSchema),
});
export const AgentWellbeingPatchSchema = Type.Partial(AgentWellbeingDTOSchema);

export const AiFeatureDTOSchema = Type.Object({
  organizationId: Type.Optional(AgentBurnoutDTOSchema.properties.organizationId),
  id: Type.Optional(Type.String({ maxLength: 64 })),
  version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  agentWellbeing: Type.Optional(AgentWellbeingDTOSchema),
  createdTime: Type.Optional(Type.Integer()),
  lastUpdatedTime: Type.Optional(Type.Integer()),
});
export const AiFeaturePatchSchema = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  organizationId: Type.Optional(AgentBurnoutDTOSchema.properties.organizationId),
  version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  agentWellbeing: Type.Optional(AgentWellbeingPatchSchema),
});
export type AiFeatureDTO = Static<typeof AiFeatureDTOSchema>;
export type AiFeaturePatch = Static<typeof AiFeaturePatchSchema>;

export function toAgentBurnoutDTO(r: BurnoutConfigRecord): Required<AgentBurnoutDTO> {
  return {
    organizationId: r.orgId,
    id: r.id,
    version: r.version,
    enabled: r.enabled,
    agentInclusionType: r.agentInclusionType,
    wellnessBreakReminders: r.wellnessBreakReminders,
    createdTime: r.createdTime,
    lastUpdatedTime: r.lastUpdatedTime,
  };
}

export function toAiFeatureDTO(r: BurnoutConfigRecord) {
  return {
    organizationId: r.orgId,
    id: r.id,
    version: r.version,
    agentWellbeing: {
      enable: r.enabled,
      agentInclusionType: r.agentInclusionType,
      wellnessBreakReminders: r.wellnessBreakReminders,
    },
    createdTime: r.createdTime,
    lastUpdatedTime: r.lastUpdatedTime,
  };
}

/** Applies an update from either view; the version moves by one on every accepted write. */
export function applyConfigChange(
  current: BurnoutConfigRecord,
  change: Partial<Pick<BurnoutConfigRecord, 'enabled' | 'agentInclusionType' | 'wellnessBreakReminders'>>,
  now: number,
): BurnoutConfigRecord {
  return {
    ...current,
    enabled: change.enabled ?? current.enabled,
    agentInclusionType: change.agentInclusionType ?? current.agentInclusionType,
    wellnessBreakReminders: change.wellnessBreakReminders ?? current.wellnessBreakReminders,
    version: current.version + 1,
    lastUpdatedTime: now,
  };
}

// Per-agent switches (Webex names). Inclusion is consulted only when the org's inclusion is SPECIFIC.
export const UserInclusionSchema = Type.Union([Type.Literal('INCLUDED'), Type.Literal('EXCLUDED')]);
export const UserRemindersSchema = Type.Union([Type.Literal('ENABLED'), Type.Literal('DISABLED')]);
export const AgentSettingBodySchema = Type.Object({
  userLevelBurnoutInclusion: Type.Optional(UserInclusionSchema),
  userLevelWellnessBreakReminders: Type.Optional(UserRemindersSchema),
});
export interface AgentSettingRecord {
  orgId: string;
  agentId: string;
  userLevelBurnoutInclusion: Static<typeof UserInclusionSchema>;
  userLevelWellnessBreakReminders: Static<typeof UserRemindersSchema>;
  updatedTime: number;
}

export function defaultAgentSetting(orgId: string, agentId: string, now: number): AgentSettingRecord {
  return { orgId, agentId, userLevelBurnoutInclusion: 'EXCLUDED', userLevelWellnessBreakReminders: 'ENABLED', updatedTime: now };
}

/**
 * Whether a scored agent gets wellness-break recommendations: the org's reminders on, and the agent's own
 * switch not off (DESIGN.md, Wellness breaks; the agent's switch counts only while the org's is on).
 */
export function getsBreakReminders(config: BurnoutConfigRecord, setting: AgentSettingRecord | undefined): boolean {
  return isAgentScored(config, setting) && config.wellnessBreakReminders === 'ENABLED' && setting?.userLevelWellnessBreakReminders !== 'DISABLED';
}

/** Whether the agent's own setting can change isAgentScored's answer: only for an enabled org including SPECIFIC agents. */
export function readsAgentSetting(config: BurnoutConfigRecord): boolean {
  return config.enabled && config.agentInclusionType !== 'ALL';
}

/** Whether the engine scores this agent at all (an excluded agent has no state, no index, no events). */
export function isAgentScored(config: BurnoutConfigRecord, setting: AgentSettingRecord | undefined): boolean {
  if (!readsAgentSetting(config)) return config.enabled;
  return setting?.userLevelBurnoutInclusion === 'INCLUDED';
}
