// What the HTTP layer needs from the engine. The engine owns agent state; routes only talk to it here.
import type { ActionRecord } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';

export interface EngineApi {
  /** A newly recorded action: break actions feed recovery; every action lands on the agent's timeline. */
  onAction(action: ActionRecord): Promise<void>;
  onConfigChanged(config: BurnoutConfigRecord): void;
  onAgentSettingChanged(setting: AgentSettingRecord): void;
}
