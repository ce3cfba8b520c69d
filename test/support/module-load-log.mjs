// A module hook for child processes (`NODE_OPTIONS=--import <this file>`): appends the URL of every
// module the process resolves to the file named by LLMUX_MODULE_LOG, so that a test can tell which
// modules were loaded at all (e.g. that tracing's exporter stays unloaded when tracing is off).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

if (process.env.LLMUX_MODULE_LOG && !process.env.LLMUX_MODULE_LOG_HOOKED) {
  process.env.LLMUX_MODULE_LOG_HOOKED = '1';
  register(import.meta.url, import.meta.url);
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const log = process.env.LLMUX_MODULE_LOG;
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
