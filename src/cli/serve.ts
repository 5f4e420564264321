import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server (PORT, RESPITE_DATA_DIR, … from the environment)')
    .action(async () => {
      // Loaded on demand so `respite token …` and friends start without the whole server.
      const { startServer } = await import('../server.ts');
      const server = await startServer();
      const log = server.app.log;
      log.info({ url: server.url }, 'respite is serving');
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'draining in-flight requests and closing');
        server.close().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
