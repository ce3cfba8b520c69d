import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHeaderList, resolveTracingSettings, type TelemetryOptions } from './settings.ts';

const OFF: TelemetryOptions = { sampleRatio: 1, captureContent: false };

describe('tracing settings', () => {
  it('is off without a collector, or when OTEL_SDK_DISABLED / OTEL_TRACES_EXPORTER=none say so', () => {
    assert.equal(resolveTracingSettings(OFF, {}), undefined);
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    assert.ok(resolveTracingSettings(OFF, env), 'on with the endpoint variable');
    assert.equal(resolveTracingSettings(OFF, { ...env, OTEL_SDK_DISABLED: 'true' }), undefined);
    assert.equal(resolveTracingSettings(OFF, { ...env, OTEL_TRACES_EXPORTER: 'none' }), undefined);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces appended; the traces variable is used as is and wins', () => {
    assert.equal(
      resolveTracingSettings(OFF, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example:4318' })?.tracesUrl,
      'https://c.example:4318/v1/traces',
    );
    assert.equal(
      resolveTracingSettings(OFF, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example/otlp/' })?.tracesUrl,
      'https://c.example/otlp/v1/traces',
    );
    assert.equal(
      resolveTracingSettings(OFF, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://base.example',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/custom/path',
      })?.tracesUrl,
      'https://t.example/custom/path',
    );
  });

  it('the config wins over the variables; its endpoint is a base URL too', () => {
    const settings = resolveTracingSettings(
      { ...OFF, otlp: { endpoint: 'http://cfg:4318', headers: { 'x-key': 'from-config' } } },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=from-env,x-other=1' },
    );
    assert.equal(settings?.tracesUrl, 'http://cfg:4318/v1/traces');
    assert.deepEqual(settings?.headers, { 'x-key': 'from-config', 'x-other': '1' });
  });

  it('headers and resource attributes in the OTel list format, values percent-decoded; all header values are secrets', () => {
    const settings = resolveTracingSettings(OFF, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20YWxhZGRpbjpvcGVu, x-team = abc ,broken',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource,deployment.environment=prod',
    });
    assert.deepEqual(settings?.headers, { Authorization: 'Basic YWxhZGRpbjpvcGVu', 'x-team': 'abc' });
    assert.ok(settings?.secrets.includes('YWxhZGRpbjpvcGVu'), 'the credential without its scheme is a secret');
    assert.ok(settings?.secrets.includes('abc'), 'every header value is a secret');
    assert.deepEqual(settings?.resource, { 'service.name': 'from-resource', 'deployment.environment': 'prod' });
  });

  it('service.name: config, then OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then llmux', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    assert.equal(resolveTracingSettings(OFF, env)?.resource['service.name'], 'llmux');
    assert.equal(
      resolveTracingSettings(OFF, { ...env, OTEL_RESOURCE_ATTRIBUTES: 'service.name=r' })?.resource['service.name'],
      'r',
    );
    assert.equal(
      resolveTracingSettings(OFF, { ...env, OTEL_SERVICE_NAME: 's', OTEL_RESOURCE_ATTRIBUTES: 'service.name=r' })
        ?.resource['service.name'],
      's',
    );
    assert.equal(
      resolveTracingSettings({ ...OFF, serviceName: 'c' }, { ...env, OTEL_SERVICE_NAME: 's' })?.resource[
        'service.name'
      ],
      'c',
    );
  });

  it('credentials in the URL become a Basic header and leave the URL', () => {
    const settings = resolveTracingSettings(OFF, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:p%40ss@c.example' });
    assert.equal(settings?.tracesUrl, 'https://c.example/v1/traces');
    assert.equal(settings?.headers.authorization, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    assert.ok(settings?.secrets.includes('p@ss'), 'the password is a secret');
  });

  it('an endpoint variable that is not an http(s) URL is refused with the variable named', () => {
    assert.throws(
      () => resolveTracingSettings(OFF, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    assert.throws(
      () => resolveTracingSettings(OFF, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }),
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a URL/,
    );
  });

  it('parseHeaderList skips malformed pairs', () => {
    assert.deepEqual(parseHeaderList('a=1,=2,b,c=%zz'), { a: '1', c: '%zz' });
  });
});
