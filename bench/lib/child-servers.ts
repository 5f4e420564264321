// The two servers bench/actions.ts compares, each in a child process of its own so the load generator in the
// driver process never shares an event loop with them.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';

const RESPITE_BIN = fileURLToPath(new URL('../../bin/respite.mjs', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-action-server.ts', import.meta.url));
const START_DEADLINE_MS = 60_000;

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then the exit code (a clean drain exits 0). */
  stop(): Promise<number | null>;
}

function childServer(url: string, child: ChildProcess): ChildServer {
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}

/** The bare Fastify route: it prints its URL as its first stdout line. */
export async function startBareServer(): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bare server exited with ${code} before listening`);
    }),
  ])) as [string];
  return childServer(JSON.parse(first).url, child);
}

/** A port that was free a moment ago (the OS picks it; Respite at LOG_LEVEL=warn does not log the one it got). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface RespiteOptions {
  dataDir: string;
  /** Write a V8 CPU profile of the server into this directory when it exits. */
  cpuProfileDir?: string;
  /** Run with --expose-gc, so GET /v1/admin/memory?gc=true measures live memory only. */
  exposeGc?: boolean;
}

export function respiteEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, RESPITE_DATA_DIR: dataDir, RESPITE_RATE_LIMIT: 'off', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...extra };
}

/** `respite serve` as an operator runs it, with rate limits off and request logging quiet. */
export async function startRespiteServer(options: RespiteOptions): Promise<ChildServer> {
  const port = await freePort();
  const nodeArgs = [...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []), ...(options.exposeGc ? ['--expose-gc'] : [])];
  const child = spawn(process.execPath, [...nodeArgs, RESPITE_BIN, 'serve'], {
    env: respiteEnv(options.dataDir, { PORT: String(port) }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // Ready means /readyz answers 200 (the database is open); until then connections are refused.
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`respite exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return childServer(url, child);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`respite was not ready within ${START_DEADLINE_MS} ms`);
    }
    await delay(50);
  }
}

/** `respite token create` on the server's data directory; returns the bearer secret. */
export async function createToken(dataDir: string, orgId: string, scopes: string[]): Promise<string> {
  const args = [RESPITE_BIN, 'token', 'create', '--org', orgId, ...scopes.flatMap((s) => ['--scope', s])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { env: respiteEnv(dataDir) });
  return stdout.trim();
}
