import { Command } from 'commander';
import { reloadConfig } from '../app/reload.ts';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config/index.ts';
import { installProcessGuard } from '../server/process-guard.ts';
import { checkConfig } from './check.ts';
import { keysCommand } from './key-commands.ts';
import { startupRefusal, startupWarnings } from './startup-checks.ts';
import { describeStartupError } from './startup-errors.ts';
import { teamsCommand, usageCommand } from './team-usage-commands.ts';
import { packageVersion } from './version.ts';

const program = new Command();
program.name('llmux').description('Self-hosted LLM API gateway').version(packageVersion(), '-v, --version');

program
  .command('check')
  .description('validate a config file and print the models, deployments and what is disabled')
  .option('-c, --config <file>', 'config file', 'llmux.yaml')
  .action((options: { config: string }) => {
    const result = checkConfig(options.config);
    (result.exitCode === 0 ? console.log : console.error)(result.output);
    process.exitCode = result.exitCode;
  });

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
    const refusal = startupRefusal(config);
    if (refusal !== undefined) {
      console.error(refusal);
      process.exit(2);
    }
    const listen = { port: config.server.port, host: config.server.host };
    let app: Awaited<ReturnType<typeof createApp>> | undefined;
    let address: string;
    try {
      app = await createApp(config);
      installProcessGuard(app.logger);
      for (const warning of startupWarnings(config)) app.logger.warn(warning);
      address = await app.server.listen(listen);
    } catch (error) {
      const sentence = describeStartupError(error, listen);
      if (sentence === undefined) throw error;
      console.error(sentence);
      await app?.close().catch(() => undefined);
      process.exit(1);
    }
    app.logger.info({ address, models: config.models.map((model) => model.name) }, 'llmux listening');
    let signals = 0;
    let lastSignal = { name: '', at: 0 };
    const stop = (signal: string) => {
      // Ctrl-C under `npm start` reaches llmux twice at once: from the terminal and forwarded by npm.
      const now = performance.now();
      if (signal === 'SIGINT' && lastSignal.name === 'SIGINT' && now - lastSignal.at < DUPLICATE_SIGNAL_MS) return;
      lastSignal = { name: signal, at: now };
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
    process.on('SIGHUP', () => {
      if (signals > 0) return;
      app.logger.info({ signal: 'SIGHUP', config: options.config }, 'reloading the config');
      reloadConfig(app, () => {
        const next = loadConfig(options.config);
        // --port and --host still win (and need a restart anyway).
        if (options.port !== undefined) next.server.port = config.server.port;
        if (options.host !== undefined) next.server.host = config.server.host;
        return next;
      });
    });
  });

program.addCommand(keysCommand());
program.addCommand(teamsCommand());
program.addCommand(usageCommand());

/** A SIGINT again within this is one Ctrl-C delivered twice, not an operator insisting. */
const DUPLICATE_SIGNAL_MS = 100;

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
