import type { Command } from 'commander';
import { type AdminConnection, adminRequest, DEFAULT_URL } from './admin-client.ts';
import { formatTable } from './table.ts';

/** Where a command writes, and the environment it reads (tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  env: process.env,
};

/** A mistake in the command line itself (the admin API is not called). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommonOptions {
  url?: string;
  adminKey?: string;
  json?: boolean;
}

export type Json = Record<string, unknown>;

/** The options every admin command takes. */
export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', `llmux base URL (env LLMUX_URL, default ${DEFAULT_URL})`)
    .option('--admin-key <key>', 'server.adminKey (env LLMUX_ADMIN_KEY)')
    .option('--json', 'print the API answer as JSON (for scripts)');
}

export function connectionOf(options: CommonOptions, io: CliIo): AdminConnection {
  const adminKey = options.adminKey ?? io.env.LLMUX_ADMIN_KEY;
  if (!adminKey) throw new UsageError('no admin key: pass --admin-key or set LLMUX_ADMIN_KEY (server.adminKey)');
  return { url: options.url ?? io.env.LLMUX_URL ?? DEFAULT_URL, adminKey };
}

/** Runs one admin call and prints the answer as JSON or for people; failures set exit code 1. */
export function adminAction<Args extends unknown[]>(
  io: CliIo,
  run: (
    call: (method: string, path: string, body?: unknown) => Promise<Json>,
    ...args: Args
  ) => Promise<{ json: unknown; text: string }>,
) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const options = command.opts<CommonOptions>();
    try {
      const connection = connectionOf(options, io);
      const call = async (method: string, path: string, body?: unknown) =>
        ((await adminRequest(connection, method, path, body)) ?? {}) as Json;
      const result = await run(call, ...(args.slice(0, -1) as Args));
      io.out(options.json === true ? JSON.stringify(result.json, null, 2) : result.text);
    } catch (error) {
      io.err(`llmux: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  };
}

/** One record as `field  value` lines. */
export function formatRecord(record: Json, fields: readonly string[]): string {
  return formatTable(
    ['FIELD', 'VALUE'],
    fields.filter((field) => field in record).map((field) => [field, record[field]]),
  );
}

export function integerOption(name: string, text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text === 'none') return null;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new UsageError(`--${name}: expected an integer or "none" (got "${text}")`);
  return value;
}

export function listOption(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** `--budget <usd>` with `--period`; "none" clears. */
export function budgetOption(usd: string | undefined, period: string | undefined): Json | null | undefined {
  if (usd === undefined) {
    if (period !== undefined) throw new UsageError('--period needs --budget');
    return undefined;
  }
  if (usd === 'none') return null;
  const value = Number(usd);
  if (!Number.isFinite(value))
    throw new UsageError(`--budget: expected USD such as 25 or 0.5, or "none" (got "${usd}")`);
  return period === undefined ? { usd: value } : { usd: value, period };
}

export function jsonOption(name: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  if (text === 'none') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${name}: expected JSON such as '{"owner":"alice"}'`);
  }
}

/** The body fields that are set (undefined ones left out). */
export function definedFields(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function budgetText(budget: unknown): string | null {
  if (typeof budget !== 'object' || budget === null) return null;
  const { usd, period } = budget as { usd?: number; period?: string };
  return `$${usd}/${period}`;
}

/** The limits keys and teams both take, as command-line text. */
export interface LimitOptions {
  rpm?: string;
  tpm?: string;
  maxConcurrent?: string;
  budget?: string;
  period?: string;
}

/** `--rpm`, `--tpm`, `--max-concurrent`, `--budget`, `--period` (of a key, or of all a team's keys). */
export function withLimitOptions(command: Command): Command {
  return command
    .option('--rpm <n>', 'requests per minute ("none" = unlimited)')
    .option('--tpm <n>', 'tokens per minute ("none" = unlimited)')
    .option('--max-concurrent <n>', 'requests in flight ("none" = unlimited)')
    .option('--budget <usd>', 'budget in USD per period ("none" = no budget)')
    .option('--period <period>', 'budget period: day, week, month or total');
}

/** The admin API's limit fields from the limit options (undefined = not given, null = "none"). */
export function limitFields(options: LimitOptions): Json {
  return {
    rpm: integerOption('rpm', options.rpm),
    tpm: integerOption('tpm', options.tpm),
    maxConcurrent: integerOption('max-concurrent', options.maxConcurrent),
    budget: budgetOption(options.budget, options.period),
  };
}
