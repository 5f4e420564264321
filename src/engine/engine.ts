// The engine owns every agent's state in memory and turns signals and actions into events.
import type { Store } from '../store/types.ts';
import type { EngineApi } from './api.ts';
import type { ActionRecord } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';

export class Engine implements EngineApi {
  private constructor(private readonly store: Store) {}

  static async start(store: Store): Promise<Engine> {
    return new Engine(store);
  }

  async onAction(action: ActionRecord): Promise<void> {
    await this.store.events.append([
      {
        type: 'agent-burnout:action-recorded',
        orgId: action.orgId,
        agentId: action.agentId,
        interactionId: action.interactionId,
        time: action.actionDateTime,
        data: { actionId: action.id, actionType: action.actionType, clientId: action.clientId },
      },
    ]);
  }

  onConfigChanged(_config: BurnoutConfigRecord): void {}
  onAgentSettingChanged(_setting: AgentSettingRecord): void {}

  async stop(): Promise<void> {}
}
