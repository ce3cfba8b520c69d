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
  withConnection,
  withLimitOptions,
} from './admin-command-support.ts';
import { formatTable } from './table.ts';

interface KeyOptions extends LimitOptions {
  models?: string;
  team?: string;
  expiresAt?: string;
  metadata?: string;
  name?: string;
}

const KEY_FIELDS = [
  'id',
  'name',
  'prefix',
  'static',
  'team',
  'models',
  'rpm',
  'tpm',
  'maxConcurrent',
  'budget',
  'spend',
  'teamSpend',
  'expiresAt',
  'revokedAt',
  'metadata',
  'createdAt',
  'updatedAt',
];

function withKeyOptions(command: Command): Command {
  return withLimitOptions(
    command
      .option('--models <list>', 'allowed models, comma separated ("*" patterns)')
      .option('--team <name>', 'team ("none" to leave it)'),
  )
    .option('--expires-at <instant>', 'ISO 8601 instant after which the key is refused ("none" = never)')
    .option('--metadata <json>', 'free JSON object kept with the key');
}

function keyBody(options: KeyOptions): Json {
  const text = (value: string | undefined) => (value === 'none' ? null : value);
  return definedFields({
    models: listOption(options.models),
    team: text(options.team),
    ...limitFields(options),
    expiresAt: text(options.expiresAt),
    metadata: jsonOption('metadata', options.metadata),
  });
}

const withSecret = (key: Json) =>
  `${formatRecord(key, KEY_FIELDS)}\n\nkey: ${String(key.key)}\n(shown this once: store it now; llmux keeps only its hash)`;

/** `llmux keys create|list|show|update|revoke|rotate` through the admin API. */
export function keysCommand(io: CliIo = processIo): Command {
  const keys = new Command('keys').description('managed API keys (admin API; needs server.adminKey)');
  withConnection(
    withKeyOptions(keys.command('create <name>').description('create a key; prints its secret once')),
  ).action(
    adminAction(io, async (call, name: string, options: KeyOptions) => {
      const key = await call('POST', '/admin/keys', { name, ...keyBody(options) });
      return { json: key, text: withSecret(key) };
    }),
  );
  withConnection(
    keys
      .command('list')
      .description('list keys (static keys from the config included, read-only)')
      .option('--team <name>', 'only this team')
      .option('--include-revoked', 'list revoked keys too')
      .option('--limit <n>', 'page size', '100')
      .option('--offset <n>', 'skip this many', '0'),
  ).action(
    adminAction(
      io,
      async (call, options: { team?: string; includeRevoked?: boolean; limit: string; offset: string }) => {
        const query = new URLSearchParams({ limit: options.limit, offset: options.offset });
        if (options.team !== undefined) query.set('team', options.team);
        if (options.includeRevoked === true) query.set('includeRevoked', 'true');
        const page = await call('GET', `/admin/keys?${query}`);
        const rows = (page.data as Json[]).map((key) => [
          key.id,
          key.name,
          key.prefix,
          key.team,
          key.models,
          key.rpm,
          key.tpm,
          budgetText(key.budget),
          key.expiresAt,
          key.revoked === true ? 'revoked' : key.expired === true ? 'expired' : key.static === true ? 'static' : 'live',
        ]);
        const table = formatTable(
          ['ID', 'NAME', 'PREFIX', 'TEAM', 'MODELS', 'RPM', 'TPM', 'BUDGET', 'EXPIRES', 'STATUS'],
          rows,
        );
        return {
          json: page,
          text: `${table}\n${rows.length} of ${String(page.total)}${page.has_more ? ' (more: --offset)' : ''}`,
        };
      },
    ),
  );
  withConnection(keys.command('show <id>').description('a key with its spend this period')).action(
    adminAction(io, async (call, id: string) => {
      const key = await call('GET', `/admin/keys/${encodeURIComponent(id)}`);
      return { json: key, text: formatRecord(key, KEY_FIELDS) };
    }),
  );
  withConnection(
    withKeyOptions(keys.command('update <id>').description('change a key (name, models, team, limits, expiry)')).option(
      '--name <name>',
      'new name',
    ),
  ).action(
    adminAction(io, async (call, id: string, options: KeyOptions) => {
      const body = definedFields({ name: options.name, ...keyBody(options) });
      const key = await call('PATCH', `/admin/keys/${encodeURIComponent(id)}`, body);
      return { json: key, text: formatRecord(key, KEY_FIELDS) };
    }),
  );
  withConnection(keys.command('revoke <id>').description('revoke a key (refused at once)')).action(
    adminAction(io, async (call, id: string) => {
      const key = await call('DELETE', `/admin/keys/${encodeURIComponent(id)}`);
      return { json: key, text: `revoked ${String(key.id)} (${String(key.name)})` };
    }),
  );
  withConnection(keys.command('rotate <id>').description('new secret, same id; the old secret stops working')).action(
    adminAction(io, async (call, id: string) => {
      const key = await call('POST', `/admin/keys/${encodeURIComponent(id)}/rotate`);
      return { json: key, text: withSecret(key) };
    }),
  );
  return keys;
}
