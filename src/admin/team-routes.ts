import type { FastifyInstance, FastifyReply } from 'fastify';
import { DuplicateRecordError, TeamInUseError } from '../store/store-errors.ts';
import type { ManagedTeamPatch, ManagedTeamRecord } from '../store/types.ts';
import { type AdminDeps, limitsPatch, spendOf, splitPage, storedLimits } from './admin-context.ts';
import { conflict, notFound } from './admin-errors.ts';
import { type Query, queryInteger } from './query.ts';
import { parseBody, TeamCreateBody, TeamPatchBody } from './schemas.ts';
import { listView, managedTeamView, staticTeamView } from './views.ts';

type NameParams = { Params: { name: string } };

/** `/admin/teams`: managed teams (create, list, show, update, delete); the config's teams read-only. */
export function registerTeamRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const { directory, store } = deps;

  const configOnly = (name: string) =>
    conflict(
      `Team \`${name}\` is declared in the config (teams:): edit the config and reload llmux to change it.`,
      'name',
    );
  const managed = async (name: string): Promise<ManagedTeamRecord> => {
    if (directory.isConfigTeam(name)) throw configOnly(name);
    const record = await store.tenancy.getTeam(name);
    if (record === undefined) throw notFound(`No team named \`${name}\`.`);
    return record;
  };
  const withSpend = async <View extends object>(view: View, name: string) => {
    const team = directory.team(name);
    const spend =
      team === undefined ? null : await spendOf(deps, { kind: 'team', id: name, rules: team.limits }, now());
    return { ...view, spend };
  };

  scope.post('/admin/teams', async (request, reply: FastifyReply) => {
    const body = parseBody(TeamCreateBody, request.body);
    if (directory.isConfigTeam(body.name))
      throw conflict(`A team in the config is named \`${body.name}\`; pick another name.`, 'name');
    const at = now();
    const record: ManagedTeamRecord = {
      name: body.name,
      models: body.models ?? ['*'],
      metadata: body.metadata ?? null,
      createdAt: at,
      updatedAt: at,
      ...storedLimits(body),
    };
    try {
      await store.tenancy.createTeam(record);
    } catch (error) {
      if (error instanceof DuplicateRecordError) throw conflict(`Team \`${body.name}\` exists.`, 'name');
      throw error;
    }
    await directory.teamChanged(record.name);
    reply.code(201);
    return managedTeamView(record);
  });

  scope.get('/admin/teams', async (request) => {
    const query = request.query as Query;
    const limit = queryInteger(query, 'limit', { min: 1, max: 1000 }) ?? 100;
    const offset = queryInteger(query, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
    const statics = directory.configTeamEntries();
    const page = splitPage(statics.length, offset, limit);
    const stored = await store.tenancy.listTeams({ limit: Math.max(1, page.storeLimit), offset: page.storeOffset });
    const data = [
      ...statics.slice(page.staticSlice.start, page.staticSlice.end).map(staticTeamView),
      ...stored.teams.slice(0, page.storeLimit).map(managedTeamView),
    ];
    return listView(data, statics.length + stored.total, offset);
  });

  scope.get<NameParams>('/admin/teams/:name', async (request) => {
    const { name } = request.params;
    const configTeam = directory.configTeamEntries().find((team) => team.name === name);
    if (configTeam !== undefined) return withSpend(staticTeamView(configTeam), name);
    return withSpend(managedTeamView(await managed(name)), name);
  });

  scope.patch<NameParams>('/admin/teams/:name', async (request) => {
    const { name } = request.params;
    await managed(name);
    const body = parseBody(TeamPatchBody, request.body);
    const patch: ManagedTeamPatch = { ...limitsPatch(body) };
    if (body.models !== undefined) patch.models = body.models;
    if (body.metadata !== undefined) patch.metadata = body.metadata;
    const updated = await store.tenancy.updateTeam(name, patch, now());
    if (updated === undefined) throw notFound(`No team named \`${name}\`.`);
    await directory.teamChanged(name);
    return managedTeamView(updated);
  });

  scope.delete<NameParams>('/admin/teams/:name', async (request) => {
    const { name } = request.params;
    await managed(name);
    let deleted: boolean;
    try {
      deleted = await store.tenancy.deleteTeam(name);
    } catch (error) {
      if (error instanceof TeamInUseError) throw conflict(error.message, 'name');
      throw error;
    }
    if (!deleted) throw notFound(`No team named \`${name}\`.`);
    await directory.teamChanged(name);
    return { name, object: 'team', deleted: true };
  });
}
