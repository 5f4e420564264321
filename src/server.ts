// Wires store, engine and HTTP app together; used by `respite serve` and by tests (a real server on a real port).
import { buildApp, type App } from './http/app.ts';
import { openSqliteStore } from './store/sqlite/index.ts';
import { settingsFromEnv, type Settings } from './config.ts';
import { Engine, type RestoreProgress } from './engine/engine.ts';
import type { Store } from './store/types.ts';
import { MemoryBus } from './bus/memory.ts';
import type { Bus } from './bus/types.ts';

export interface RunningServer {
  url: string;
  app: App;
  store: Store;
  engine: Engine;
  bus: Bus;
  /** Drains in-flight requests, persists engine state, closes the database. */
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<Settings> & { logger?: boolean | object } = {}): Promise<RunningServer> {
  const { logger, ...rest } = overrides;
  const settings: Settings = { ...settingsFromEnv(), ...rest };
  // A listener's bug is logged, never allowed to fail the write that announced the events.
  const bus = new MemoryBus((err) => app.log.error({ err }, 'an event listener failed'));
  const store = openSqliteStore(settings.dataDir, { events: bus });
  const engine = Engine.create(store, { snapshotEveryMs: settings.snapshotSeconds * 1000, intakeWorkers: settings.intakeWorkers });
  const app = await buildApp({ store, settings, engine, bus, logger: logger ?? { level: settings.logLevel } });
  // Built before the engine's state is restored, so the restore (seconds at scale) is logged; served after.
  await engine.restore((progress) => {
    if (progress.stage === 'reload') app.log.warn(progress, 'a write failed: reloading the engine state from the store');
    else app.log.info(progress, restoreMessage(progress));
  });
  await app.listen({ port: settings.port, host: settings.host });
  // After listening, so readiness does not wait for them; before the first large batch needs one.
  engine.startIntake();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    app,
    store,
    engine,
    bus,
    close() {
      closing ??= (async () => {
        await app.close();
        try {
          await engine.stop();
        } finally {
          await store.close(); // also when the final snapshot is refused (a failed write left memory unreliable)
        }
      })();
      return closing;
    },
  };
}

function restoreMessage(progress: Exclude<RestoreProgress, { stage: 'reload' }>): string {
  if (progress.stage === 'snapshot') return 'engine state loaded from its snapshot';
  return progress.done ? 'engine log replayed: restored' : 'replaying the engine log';
}
