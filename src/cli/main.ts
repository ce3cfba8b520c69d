import { Command } from 'commander';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config/index.ts';
import { installProcessGuard } from '../server/process-guard.ts';

const program = new Command();
program.name('llmux').description('Self-hosted LLM API gateway');

program
  .command('serve')
  .description('start the gateway')
  .option('-c, --config <file>', 'config file', 'llmux.yaml')
  .option('-p, --port <port>', 'port (overrides server.port)')
  .option('-H, --host <host>', 'host (overrides server.host)')
  .action(async (options: { config: string; port?: string; host?: string }) => {
    let config: Awaited<ReturnType<typeof loadConfig>>;
    try {
      config = loadConfig(options.config);
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(2);
      }
      throw error;
    }
    if (options.port !== undefined) config.server.port = parsePort(options.port);
    if (options.host !== undefined) config.server.host = options.host;
    const app = await createApp(config);
    installProcessGuard(app.logger);
    const address = await app.server.listen({ port: config.server.port, host: config.server.host });
    app.logger.info({ address, models: config.models.map((model) => model.name) }, 'llmux listening');
    let signals = 0;
    const stop = (signal: string) => {
      signals++;
      if (signals === 2) {
        // Not an immediate exit: the requests in flight are cut and recorded, the request log flushed.
        app.logger.warn({ signal }, 'second signal: cutting the requests in flight, flushing the request log');
        void app.closeNow();
        setTimeout(() => {
          app.logger.error({ afterMs: URGENT_STOP_MS }, 'request log flush still running: exiting');
          process.exit(1);
        }, URGENT_STOP_MS).unref();
        return;
      }
      if (signals > 2) {
        app.logger.warn({ signal }, 'third signal: exiting at once');
        process.exit(1);
      }
      app.logger.info({ signal, graceMs: config.server.shutdownGraceMs }, 'shutting down: draining in-flight requests');
      app.close().then(
        () => {
          app.logger.info('shutdown complete');
          process.exit(0);
        },
        (error: unknown) => {
          app.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });

/** After a second signal, exit even if the store is still flushing (the journal has the rows). */
const URGENT_STOP_MS = 5000;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: must be an integer between 0 and 65535 (got "${value}")`);
    process.exit(2);
  }
  return port;
}

await program.parseAsync(process.argv);
