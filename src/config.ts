// Process settings from the environment, with the defaults README documents.
import { resolve } from 'node:path';
import { DEFAULT_INTAKE_WORKERS } from './engine/intake-workers.ts';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  /** Requests per minute per token on the Webex routes (Webex's own default is 300); 0 disables all limits. */
  rateLimitPerMinute: number;
  /** Requests per minute per token on signal ingest: connectors send large batches often. */
  ingestRateLimitPerMinute: number;
  /** Body size limit for the Webex/config routes, bytes. */
  bodyLimit: number;
  /** Body size limit for signal ingest, bytes. */
  ingestBodyLimit: number;
  /** How often the engine snapshots its state (seconds; 0 = only on shutdown). */
  snapshotSeconds: number;
  /** Intake worker threads validating NDJSON bodies (0 = on the event loop). */
  intakeWorkers: number;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer or "off", got "${raw}"`);
  return n;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const limitsOff = env.RESPITE_RATE_LIMIT === 'off';
  return {
    port: intFrom(env, 'PORT', 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.RESPITE_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: intFrom(env, 'RESPITE_RATE_LIMIT', 300),
    ingestRateLimitPerMinute: limitsOff ? 0 : intFrom(env, 'RESPITE_INGEST_RATE_LIMIT', 12_000),
    bodyLimit: intFrom(env, 'RESPITE_BODY_LIMIT', 1_048_576),
    ingestBodyLimit: intFrom(env, 'RESPITE_INGEST_BODY_LIMIT', 16 * 1_048_576),
    snapshotSeconds: intFrom(env, 'RESPITE_SNAPSHOT_SECONDS', 300),
    intakeWorkers: intFrom(env, 'RESPITE_INTAKE_WORKERS', DEFAULT_INTAKE_WORKERS),
  };
}
