import type { FastifyInstance, FastifyReply } from 'fastify';
import { limitRulesFromStored, STATIC_KEY_ID_PREFIX } from '../policy/key-entries.ts';
import { hashKeySecret } from '../policy/key-ring.ts';
import type { ApiKeyEntry } from '../policy/key-store.ts';
import { DuplicateRecordError } from '../store/store-errors.ts';
import type { ManagedKeyPatch, ManagedKeyRecord } from '../store/types.ts';
import { type AdminDeps, limitsPatch, spendOf, splitPage, storedLimits } from './admin-context.ts';
import { badField, conflict, notFound } from './admin-errors.ts';
import { KEY_PREFIX_LENGTH, newKeyId, newKeySecret } from './key-secrets.ts';
import { parseInstant, type Query, queryFlag, queryInteger, queryText } from './query.ts';
import { KeyCreateBody, KeyPatchBody, parseBody } from './schemas.ts';
import { isoTime, listView, managedKeyView, staticKeyView } from './views.ts';

type IdParams = { Params: { id: string } };

/** `/admin/keys`: managed keys (create, list, show, update, revoke, rotate); the config's keys read-only. */
export function registerKeyRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const { directory, store } = deps;

  const staticOnly = (id: string) =>
    conflict(`\`${id}\` is a static key from the config (keys:): edit the config and reload llmux to change it.`, 'id');
  const managed = async (id: string): Promise<ManagedKeyRecord> => {
    if (id.startsWith(STATIC_KEY_ID_PREFIX) && directory.entry(id) !== undefined) throw staticOnly(id);
    const record = await store.tenancy.getKey(id);
    if (record === undefined) throw notFound(`No key with id \`${id}\`.`);
    return record;
  };
  const live = async (id: string): Promise<ManagedKeyRecord> => {
    const record = await managed(id);
    if (record.revokedAt !== null) throw conflict(`Key \`${id}\` is revoked.`, 'id');
    return record;
  };
  const checkName = (name: string, self?: string) => {
    if (directory.isStaticKeyName(name))
      throw conflict(`A static key in the config is named \`${name}\`; pick another name.`, 'name');
    const other = directory.keyNamed(name);
    if (other !== undefined && other.id !== self)
      throw conflict(`A key named \`${name}\` exists (${other.id}).`, 'name');
  };
  const checkTeam = async (team: string) => {
    if (directory.team(team) === undefined && (await store.tenancy.getTeam(team)) === undefined)
      throw badField('team', `Unknown team \`${team}\` (create it with POST /admin/teams or declare it under teams:).`);
  };
  const withSpend = async <View extends object>(view: View, entry: ApiKeyEntry | undefined) => {
    if (entry === undefined) return { ...view, spend: null, teamSpend: null };
    const at = now();
    const [spend, teamSpend] = await Promise.all([
      spendOf(deps, { kind: 'key', id: entry.id, rules: entry.limits }, at),
      entry.team === undefined
        ? null
        : spendOf(deps, { kind: 'team', id: entry.team.name, rules: entry.team.limits }, at),
    ]);
    return { ...view, spend, teamSpend };
  };
  const written = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateRecordError) throw conflict(error.message);
      throw error;
    }
  };

  scope.post('/admin/keys', async (request, reply: FastifyReply) => {
    const body = parseBody(KeyCreateBody, request.body);
    checkName(body.name);
    if (body.team !== undefined) await checkTeam(body.team);
    const at = now();
    const secret = newKeySecret();
    const record: ManagedKeyRecord = {
      id: newKeyId(),
      name: body.name,
      prefix: secret.slice(0, KEY_PREFIX_LENGTH),
      hash: hashKeySecret(secret),
      team: body.team ?? null,
      models: body.models ?? ['*'],
      expiresAt: body.expiresAt === undefined ? null : parseInstant(body.expiresAt, 'expiresAt'),
      metadata: body.metadata ?? null,
      createdAt: at,
      updatedAt: at,
      revokedAt: null,
      ...storedLimits(body),
    };
    await written(() => store.tenancy.createKey(record));
    await directory.keyChanged(record.id);
    reply.code(201);
    return { ...managedKeyView(record, at), key: secret };
  });

  scope.get('/admin/keys', async (request) => {
    const query = request.query as Query;
    const limit = queryInteger(query, 'limit', { min: 1, max: 1000 }) ?? 100;
    const offset = queryInteger(query, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
    const team = queryText(query, 'team');
    const includeRevoked = queryFlag(query, 'includeRevoked');
    const at = now();
    const statics = directory.staticKeyEntries().filter((entry) => team === undefined || entry.team?.name === team);
    const page = splitPage(statics.length, offset, limit);
    const stored = await store.tenancy.listKeys({
      limit: Math.max(1, page.storeLimit),
      offset: page.storeOffset,
      includeRevoked,
      ...(team === undefined ? {} : { team }),
    });
    const shown = [
      ...statics
        .slice(page.staticSlice.start, page.staticSlice.end)
        .map((entry) => ({ view: staticKeyView(entry, at), rules: entry.limits })),
      ...stored.keys
        .slice(0, page.storeLimit)
        .map((record) => ({ view: managedKeyView(record, at), rules: limitRulesFromStored(record) })),
    ];
    // Last use and spend this period, so that a list of keys needs no request per key.
    const lastUsed = await store.lastUsedAt(shown.map(({ view }) => view.id));
    const data = await Promise.all(
      shown.map(async ({ view, rules }) => ({
        ...view,
        lastUsedAt: isoTime(lastUsed.get(view.id)),
        spend: await spendOf(deps, { kind: 'key', id: view.id, rules }, at),
      })),
    );
    return listView(data, statics.length + stored.total, offset);
  });

  scope.get<IdParams>('/admin/keys/:id', async (request) => {
    const { id } = request.params;
    const at = now();
    const entry = directory.entry(id);
    if (entry !== undefined && !entry.managed) return withSpend(staticKeyView(entry, at), entry);
    const record = await managed(id);
    return withSpend(managedKeyView(record, at), entry);
  });

  scope.patch<IdParams>('/admin/keys/:id', async (request) => {
    const { id } = request.params;
    const current = await live(id);
    const body = parseBody(KeyPatchBody, request.body);
    if (body.name !== undefined && body.name !== current.name) checkName(body.name, id);
    if (typeof body.team === 'string') await checkTeam(body.team);
    const patch: ManagedKeyPatch = { ...limitsPatch(body) };
    if (body.name !== undefined) patch.name = body.name;
    if (body.models !== undefined) patch.models = body.models;
    if (body.team !== undefined) patch.team = body.team;
    if (body.metadata !== undefined) patch.metadata = body.metadata;
    if (body.expiresAt !== undefined)
      patch.expiresAt = body.expiresAt === null ? null : parseInstant(body.expiresAt, 'expiresAt');
    const updated = await written(() => store.tenancy.updateKey(id, patch, now()));
    if (updated === undefined) throw notFound(`No key with id \`${id}\`.`);
    await directory.keyChanged(id);
    return managedKeyView(updated, now());
  });

  scope.delete<IdParams>('/admin/keys/:id', async (request) => {
    const { id } = request.params;
    await managed(id);
    const revoked = await store.tenancy.revokeKey(id, now());
    if (revoked === undefined) throw notFound(`No key with id \`${id}\`.`);
    await directory.keyChanged(id);
    return managedKeyView(revoked, now());
  });

  scope.post<IdParams>('/admin/keys/:id/rotate', async (request) => {
    const { id } = request.params;
    await live(id);
    const secret = newKeySecret();
    const patch = { hash: hashKeySecret(secret), prefix: secret.slice(0, KEY_PREFIX_LENGTH) };
    const updated = await written(() => store.tenancy.updateKey(id, patch, now()));
    if (updated === undefined) throw notFound(`No key with id \`${id}\`.`);
    await directory.keyChanged(id);
    return { ...managedKeyView(updated, now()), key: secret };
  });
}
