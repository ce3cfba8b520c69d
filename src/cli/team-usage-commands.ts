import { Command } from 'commander';
import {
  adminAction,
  budgetText,
  type CliIo,
  definedFields,
  formatRecord,
  type Json,
  jsonOption,
  type LimitOptions,
  limitFields,
  listOption,
  processIo,
  UsageError,
  withConnection,
  withLimitOptions,
} from './admin-command-support.ts';
import { formatTable, parseDuration } from './table.ts';

interface TeamOptions extends LimitOptions {
  models?: string;
  metadata?: string;
}

const TEAM_FIELDS = [
  'name',
  'static',
  'models',
  'rpm',
  'tpm',
  'maxConcurrent',
  'budget',
  'spend',
  'metadata',
  'createdAt',
  'updatedAt',
];

function withTeamOptions(command: Command): Command {
  return withLimitOptions(command.option('--models <list>', 'models its keys may use, comma separated')).option(
    '--metadata <json>',
    'free JSON object',
  );
}

function teamBody(options: TeamOptions): Json {
  return definedFields({
    models: listOption(options.models),
    ...limitFields(options),
    metadata: jsonOption('metadata', options.metadata),
  });
}

/** `llmux teams create|list|show|update|delete` through the admin API. */
export function teamsCommand(io: CliIo = processIo): Command {
  const teams = new Command('teams').description('teams: shared limits and budgets of their keys (admin API)');
  const path = (name: string) => `/admin/teams/${encodeURIComponent(name)}`;
  withConnection(withTeamOptions(teams.command('create <name>').description('create a team'))).action(
    adminAction(io, async (call, name: string, options: TeamOptions) => {
      const team = await call('POST', '/admin/teams', { name, ...teamBody(options) });
      return { json: team, text: formatRecord(team, TEAM_FIELDS) };
    }),
  );
  withConnection(
    teams
      .command('list')
      .description('list teams (config teams included, read-only)')
      .option('--limit <n>', 'page size', '100')
      .option('--offset <n>', 'skip this many', '0'),
  ).action(
    adminAction(io, async (call, options: { limit: string; offset: string }) => {
      const page = await call(
        'GET',
        `/admin/teams?${new URLSearchParams({ limit: options.limit, offset: options.offset })}`,
      );
      const rows = (page.data as Json[]).map((team) => [
        team.name,
        team.models,
        team.rpm,
        team.tpm,
        team.maxConcurrent,
        budgetText(team.budget),
        team.static === true ? 'config' : 'managed',
      ]);
      return {
        json: page,
        text: formatTable(['NAME', 'MODELS', 'RPM', 'TPM', 'CONCURRENT', 'BUDGET', 'SOURCE'], rows),
      };
    }),
  );
  withConnection(teams.command('show <name>').description('a team with its spend this period')).action(
    adminAction(io, async (call, name: string) => {
      const team = await call('GET', path(name));
      return { json: team, text: formatRecord(team, TEAM_FIELDS) };
    }),
  );
  withConnection(withTeamOptions(teams.command('update <name>').description('change a team'))).action(
    adminAction(io, async (call, name: string, options: TeamOptions) => {
      const team = await call('PATCH', path(name), teamBody(options));
      return { json: team, text: formatRecord(team, TEAM_FIELDS) };
    }),
  );
  withConnection(teams.command('delete <name>').description('delete a team (none of its keys may be live)')).action(
    adminAction(io, async (call, name: string) => {
      const answer = await call('DELETE', path(name));
      return { json: answer, text: `deleted team ${name}` };
    }),
  );
  return teams;
}

interface UsageOptions {
  since: string;
  until?: string;
  by: string;
  key?: string;
  team?: string;
  model?: string;
}

/** `llmux usage --since 7d --by model`: requests, tokens and cost per group. */
export function usageCommand(io: CliIo = processIo, now: () => number = Date.now): Command {
  return withConnection(
    new Command('usage')
      .description('usage and cost per key, team, model, provider or day (admin API)')
      .option('--since <when>', 'start: a duration back from now (7d, 12h) or an ISO instant', '7d')
      .option('--until <when>', 'end: a duration back from now or an ISO instant (default now)')
      .option('--by <group>', 'key, team, model, provider or day', 'model')
      .option('--key <id-or-name>', 'only this key')
      .option('--team <name>', 'only this team')
      .option('--model <name>', 'only this public model'),
  ).action(
    adminAction(io, async (call, options: UsageOptions) => {
      const query = new URLSearchParams({ from: String(instant('since', options.since, now())), groupBy: options.by });
      if (options.until !== undefined) query.set('to', String(instant('until', options.until, now())));
      if (options.key !== undefined) query.set('key', options.key);
      if (options.team !== undefined) query.set('team', options.team);
      if (options.model !== undefined) query.set('model', options.model);
      const usage = await call('GET', `/admin/usage?${query}`);
      const data = usage.data as Json[];
      const rows = data.map((row) => [
        options.by === 'key' && row.keyName ? `${String(row.group)} (${String(row.keyName)})` : row.group,
        row.requests,
        row.errors,
        row.inputTokens,
        row.outputTokens,
        row.cachedInputTokens,
        row.reasoningTokens,
        Number(row.costUsd).toFixed(6),
      ]);
      const header = ['GROUP', 'REQUESTS', 'ERRORS', 'INPUT', 'OUTPUT', 'CACHED', 'REASONING', 'COST_USD'];
      return { json: usage, text: `${String(usage.from)} → ${String(usage.to)}\n${formatTable(header, rows)}` };
    }),
  );
}

function instant(option: string, text: string, now: number): number {
  const back = parseDuration(text);
  if (back !== undefined) return now - back;
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new UsageError(`--${option}: expected a duration (7d, 12h) or an ISO instant (got "${text}")`);
  return parsed;
}
