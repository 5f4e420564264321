// Respite as a real operating-system process: `respite serve` on a random port, and one-shot CLI runs.
// Tests synchronise on what the process says (its JSON log lines) and on its exit event, never on sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const RESPITE_BIN = fileURLToPath(new URL('../../bin/respite.mjs', import.meta.url));

/** Longest a process may take to start or stop before a test gives up on it (a safety net, not a wait). */
const PROCESS_DEADLINE_MS = 60_000;

export interface LogLine {
  msg?: string;
  level?: number;
  reqId?: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Every JSON log line the server has written to stdout so far. */
  logs: LogLine[];
  /** Everything the server has written to stderr so far. */
  stderr(): string;
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: LogLine) => boolean, what?: string): Promise<LogLine>;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Sends a signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface ProcessOptions {
  dataDir: string;
  /** Extra environment (wins over the defaults below). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
}

function respiteEnv(options: ProcessOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RESPITE_DATA_DIR: options.dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    RESPITE_RATE_LIMIT: 'off',
    LOG_LEVEL: 'info',
    ...options.env,
  };
}

function withDeadline<T>(promise: Promise<T>, what: string, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${PROCESS_DEADLINE_MS} ms\n${describe()}`)), PROCESS_DEADLINE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Starts `respite serve` on a random port and resolves once it logs that it is serving. */
export async function spawnServer(options: ProcessOptions): Promise<ServerProcess> {
  // With PORT=0 the only way to learn the port is the info-level "respite is serving" line.
  const level = options.env?.LOG_LEVEL;
  if (level !== undefined && !['trace', 'debug', 'info'].includes(level)) {
    throw new Error(`spawnServer needs LOG_LEVEL info or lower to learn the port, got "${level}"`);
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), RESPITE_BIN, 'serve'], {
    env: respiteEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text);
    } catch {
      line = { msg: text };
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const describe = () => `stderr:\n${stderr}\nstdout:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`;

  const waitForLog = (match: (line: LogLine) => boolean, what = 'log line') => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    const found = new Promise<LogLine>((resolve) => waiters.push({ match, resolve }));
    const died = exited.then((exit) => {
      // The line may have been the last thing the process wrote: give readline's queued lines a chance first.
      const late = logs.find(match);
      if (late) return late;
      throw new Error(`server exited (${JSON.stringify(exit)}) before "${what}"\n${describe()}`);
    });
    return withDeadline(Promise.race([found, died]), `waiting for ${what}`, describe);
  };

  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return withDeadline(exited, `waiting for exit after ${signal}`, describe);
  };

  try {
    const serving = await waitForLog((l) => l.msg === 'respite is serving' && typeof l.url === 'string', 'respite is serving');
    return { url: serving.url as string, pid: child.pid!, child, logs, stderr: () => stderr, waitForLog, exited, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `respite <args…>` against a data directory and captures its output and exit code. */
export async function runCli(args: string[], options: ProcessOptions): Promise<CliResult> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), RESPITE_BIN, ...args], {
    env: respiteEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' (not 'exit') so both pipes are fully read.
  const [code] = (await withDeadline(once(child, 'close'), `respite ${args.join(' ')}`, () => stderr)) as [number | null];
  return { code, stdout, stderr };
}

/** Mints a token through the CLI (as an operator would) and returns the secret. */
export async function createTokenWithCli(dataDir: string, orgId: string, scopes: string[]): Promise<string> {
  const result = await runCli(['token', 'create', '--org', orgId, ...scopes.flatMap((s) => ['--scope', s])], { dataDir });
  if (result.code !== 0) throw new Error(`token create failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim();
}
