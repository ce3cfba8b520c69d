/** `telemetry:` of the config, as this module needs it (the config layer's type is structurally the same). */
export interface TelemetryOptions {
  otlp?: { endpoint: string; headers: Record<string, string> } | undefined;
  sampleRatio: number;
  captureContent: boolean;
  serviceName?: string | undefined;
}

/** Everything the tracer runs with, resolved once at start. */
export interface TracingSettings {
  /** Full URL spans are POSTed to, without credentials. */
  tracesUrl: string;
  /** Sent with every export (vendor keys; a Basic header when the URL carried credentials). */
  headers: Record<string, string>;
  /** Resource attributes: `service.name` and `OTEL_RESOURCE_ATTRIBUTES`. */
  resource: Record<string, string>;
  sampleRatio: number;
  captureContent: boolean;
  /** Every credential above (header values, the URL's password): for the log redaction. */
  secrets: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

const TRACES_PATH = '/v1/traces';

/**
 * Tracing is on when the config names a collector (`telemetry.otlp`) or the standard variables do:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces`
 * appended). `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none` turn it off. Undefined = off.
 */
export function resolveTracingSettings(options: TelemetryOptions, env: Env): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const target = collectorUrl(options, env);
  if (target === undefined) return undefined;
  const url = new URL(target);
  const headers: Record<string, string> = {
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    ...options.otlp?.headers,
  };
  const secrets: string[] = [];
  if (url.username !== '' || url.password !== '') {
    secrets.push(decodeURIComponent(url.password));
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization ??= `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  // Any header may be a credential (vendors name theirs freely); a scheme's value is secret alone too.
  for (const value of Object.values(headers)) secrets.push(value, value.replace(/^\S+\s+/, ''));
  const resource = parseHeaderList(env.OTEL_RESOURCE_ATTRIBUTES);
  resource['service.name'] =
    options.serviceName ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? resource['service.name'] ?? 'llmux';
  return {
    tracesUrl: url.toString(),
    headers,
    resource,
    sampleRatio: options.sampleRatio,
    captureContent: options.captureContent,
    secrets,
  };
}

function collectorUrl(options: TelemetryOptions, env: Env): string | undefined {
  const configured = options.otlp?.endpoint;
  if (configured !== undefined) return withTracesPath(configured);
  const traces = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (traces !== undefined) return checkedUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (base !== undefined) return withTracesPath(checkedUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
  return undefined;
}

/** The OTLP rule for a base endpoint: the signal's path is appended to whatever path it has. */
function withTracesPath(base: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith(TRACES_PATH)) url.pathname = `${url.pathname.replace(/\/+$/, '')}${TRACES_PATH}`;
  return url.toString();
}

function checkedUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${variable} must be an http(s) URL`);
  return value;
}

/** `k1=v1,k2=v2` with percent-encoded values (the OTel format of the headers and resource variables). */
export function parseHeaderList(value: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === undefined) return result;
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    if (key === '') continue;
    try {
      result[key] = decodeURIComponent(raw);
    } catch {
      result[key] = raw;
    }
  }
  return result;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
