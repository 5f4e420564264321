// The event envelope: one durable log per organization with increasing ids, so a client can resume.
export const EVENT_TYPES = [
  'agent-burnout:index',
  'agent-burnout:level-changed',
  'agent-burnout:action-recorded',
  'wellness-break:recommended',
  'supervisor:alert',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventEnvelope<D = Record<string, unknown>> {
  id: number;
  type: EventType;
  orgId: string;
  agentId?: string;
  interactionId?: string;
  /** epoch ms */
  time: number;
  data: D;
}

export type NewEvent = Omit<EventEnvelope, 'id'>;
