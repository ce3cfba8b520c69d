import { Command } from 'commander';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config/index.ts';

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
    const address = await app.server.listen({ port: config.server.port, host: config.server.host });
    app.logger.info({ address, models: config.models.map((model) => model.name) }, 'llmux listening');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        app.logger.warn({ signal }, 'second signal: exiting without waiting for in-flight requests');
        process.exit(1);
      }
      stopping = true;
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

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: must be an integer between 0 and 65535 (got "${value}")`);
    process.exit(2);
  }
  return port;
}

await program.parseAsync(process.argv);
