import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { LlmuxConfig } from '../config/index.ts';
import type { ProviderRuntime } from '../gateway/types.ts';
import { registerSecrets } from '../lib/redact.ts';
import { resolveTracingSettings } from '../observability/tracing/settings.ts';
import type { Tracer } from '../observability/tracing/tracer.ts';

/**
 * The tracer when tracing is configured (`telemetry.otlp` or the `OTEL_EXPORTER_OTLP_*` variables),
 * else undefined: then neither the tracer nor its exporter is even loaded, and requests carry no
 * trace context.
 */
export async function startTracing(
  config: LlmuxConfig,
  logger: Logger,
  providers: () => ReadonlyMap<string, ProviderRuntime>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tracer | undefined> {
  let settings: ReturnType<typeof resolveTracingSettings>;
  try {
    settings = resolveTracingSettings(config.telemetry, env);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'tracing is off: the OTLP endpoint is not usable');
    return undefined;
  }
  if (settings === undefined) return undefined;
  // Collector headers (from OTEL_EXPORTER_OTLP_HEADERS too) are credentials: never in a log.
  registerSecrets(settings.secrets);
  const { Tracer } = await import('../observability/tracing/tracer.ts');
  const tracer = new Tracer({
    settings,
    logger: logger.child({ component: 'tracing' }),
    upstreamOf: (name) => {
      const runtime = providers().get(name);
      return runtime === undefined ? undefined : { type: runtime.type, baseUrl: runtime.baseUrl };
    },
    version: packageVersion(),
  });
  const { origin, pathname } = new URL(settings.tracesUrl);
  logger.info(
    { collector: `${origin}${pathname}`, sampleRatio: settings.sampleRatio, captureContent: settings.captureContent },
    'tracing: exporting spans over OTLP/HTTP',
  );
  return tracer;
}

/** package.json sits two folders up from src/app/ and from dist/app/ alike. */
function packageVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'version') : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
