import type { ChangeBus, ManagedKeyRecord, ManagedTeamRecord, TenancyStore } from '../store/types.ts';
import {
  limitRulesFromStored,
  managedKeyEntry,
  type StaticKeySpec,
  type StaticTeamSpec,
  staticKeyEntry,
  teamFromConfig,
} from './key-entries.ts';
import { hashKeySecret, KeyRing } from './key-ring.ts';
import type { ApiKeyEntry, KeyStore, TeamEntry } from './key-store.ts';

/** Bus topic of key and team changes; a message is a key id, or `team:<name>`. */
export const KEY_CHANGES_TOPIC = 'llmux:keys';
const TEAM_MESSAGE = 'team:';
const DEFAULT_REFRESH_MS = 30_000;
const TEAM_PAGE = 1000;

export interface KeyDirectoryOptions {
  /** Managed keys and teams; unset = the config's keys only. */
  tenancy?: TenancyStore;
  /** Change notices between replicas (Redis pub/sub, or a LocalBus on one process). */
  bus?: ChangeBus;
  topic?: string;
  /** Full reload of managed keys and teams this often, the safety net for lost notices; 0 = never. */
  refreshIntervalMs?: number;
  now?: () => number;
  /** Failed refreshes and keys refused for a reason an operator must fix (never thrown to requests). */
  onError?: (error: unknown, context: string) => void;
}

/**
 * Every key llmux accepts: static keys from the config and managed keys from the store, with their
 * teams. Requests are answered from memory (a map from SHA-256 to entry): an unknown key costs one
 * hash and one map lookup, never a database call. Managed keys are loaded at start, refreshed one by
 * one on change notices and whole periodically.
 */
export class KeyDirectory implements KeyStore {
  private readonly options: Required<Pick<KeyDirectoryOptions, 'topic' | 'refreshIntervalMs' | 'now'>> &
    KeyDirectoryOptions;
  private staticKeys: Array<{ hash: string; spec: StaticKeySpec }> = [];
  private configTeams: StaticTeamSpec[] = [];
  private managedKeys = new Map<string, ManagedKeyRecord>();
  private managedTeams = new Map<string, ManagedTeamRecord>();
  private ring = new KeyRing([]);
  private entries = new Map<string, ApiKeyEntry>();
  private teams = new Map<string, TeamEntry>();
  /** Orders the targeted refreshes: only the latest one of a key or team is applied. */
  private changeSequence = 0;
  private readonly latestChange = new Map<string, number>();
  /** Names changed while a full reload was reading (its snapshot may be older than their refresh). */
  private readonly fullReloadWatchers = new Set<Set<string>>();
  private readonly reportedOrphans = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(keys: readonly StaticKeySpec[], teams: readonly StaticTeamSpec[], options: KeyDirectoryOptions) {
    this.options = {
      topic: KEY_CHANGES_TOPIC,
      refreshIntervalMs: DEFAULT_REFRESH_MS,
      now: Date.now,
      ...options,
    };
    this.reloadConfig(keys, teams);
  }

  /** Subscribes to change notices, loads every live managed key and team, starts the periodic reload. */
  async start(): Promise<void> {
    if (this.options.tenancy === undefined) return;
    await this.options.bus?.subscribe(this.options.topic, (message) => this.onNotice(message));
    await this.reloadManaged();
    if (this.options.refreshIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.reloadManaged().catch((error: unknown) => this.report(error, 'periodic key reload failed'));
      }, this.options.refreshIntervalMs);
      this.timer.unref();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async authenticate(presented: string | undefined): Promise<ApiKeyEntry | undefined> {
    if (!presented) return undefined;
    const entry = this.ring.find(presented);
    if (entry === undefined || isExpired(entry, this.options.now())) return undefined;
    return entry;
  }

  /** The config's keys and teams changed (SIGHUP). */
  reloadConfig(keys: readonly StaticKeySpec[], teams: readonly StaticTeamSpec[]): void {
    this.staticKeys = keys.map((spec) => ({ hash: hashKeySecret(spec.key), spec }));
    this.configTeams = [...teams];
    this.rebuild();
  }

  /** A key by id, expired ones included (the admin API shows them). */
  entry(id: string): ApiKeyEntry | undefined {
    return this.entries.get(id);
  }

  /** A live key (static or managed) with this name. */
  keyNamed(name: string): ApiKeyEntry | undefined {
    for (const entry of this.entries.values()) if (entry.name === name) return entry;
    return undefined;
  }

  staticKeyEntries(): ApiKeyEntry[] {
    return [...this.entries.values()].filter((entry) => !entry.managed);
  }

  isStaticKeyName(name: string): boolean {
    return this.staticKeys.some((key) => key.spec.name === name);
  }

  /** A team from the config or the store. */
  team(name: string): TeamEntry | undefined {
    return this.teams.get(name);
  }

  configTeamEntries(): TeamEntry[] {
    return this.configTeams.map(teamFromConfig);
  }

  isConfigTeam(name: string): boolean {
    return this.configTeams.some((team) => team.name === name);
  }

  /** After a write to the store: refreshes this replica at once, then tells the others. */
  async keyChanged(id: string): Promise<void> {
    await this.refreshKey(id);
    await this.announce(id);
  }

  async teamChanged(name: string): Promise<void> {
    await this.refreshTeam(name);
    await this.announce(`${TEAM_MESSAGE}${name}`);
  }

  /** Reloads every live managed key and team from the store. */
  async reloadManaged(): Promise<void> {
    const changed = new Set<string>();
    this.fullReloadWatchers.add(changed);
    let keys: ManagedKeyRecord[];
    let teams: ManagedTeamRecord[];
    try {
      [keys, teams] = await Promise.all([this.tenancy().liveKeys(), this.allManagedTeams()]);
    } finally {
      this.fullReloadWatchers.delete(changed);
    }
    const nextKeys = new Map(keys.map((key) => [key.id, key]));
    const nextTeams = new Map(teams.map((team) => [team.name, team]));
    // A targeted refresh claimed during the read saw the store after its change; it wins over the snapshot.
    for (const name of changed) {
      if (name.startsWith(TEAM_MESSAGE)) keepCurrent(nextTeams, this.managedTeams, name.slice(TEAM_MESSAGE.length));
      else keepCurrent(nextKeys, this.managedKeys, name);
    }
    this.managedKeys = nextKeys;
    this.managedTeams = nextTeams;
    this.rebuild();
  }

  private async refreshKey(id: string): Promise<void> {
    const token = this.claim(id);
    const record = await this.tenancy().getKey(id);
    if (!this.isLatest(id, token)) return;
    if (record === undefined || record.revokedAt !== null) this.managedKeys.delete(id);
    else this.managedKeys.set(id, record);
    this.rebuild();
  }

  private async refreshTeam(name: string): Promise<void> {
    const claimName = `${TEAM_MESSAGE}${name}`;
    const token = this.claim(claimName);
    const record = await this.tenancy().getTeam(name);
    if (!this.isLatest(claimName, token)) return;
    if (record === undefined) this.managedTeams.delete(name);
    else this.managedTeams.set(name, record);
    this.rebuild();
  }

  private tenancy(): TenancyStore {
    if (this.options.tenancy === undefined) throw new Error('this key directory has no store: managed keys are off');
    return this.options.tenancy;
  }

  private claim(name: string): number {
    const token = ++this.changeSequence;
    this.latestChange.set(name, token);
    for (const watcher of this.fullReloadWatchers) watcher.add(name);
    return token;
  }

  private isLatest(name: string, token: number): boolean {
    if (this.latestChange.get(name) !== token) return false;
    this.latestChange.delete(name);
    return true;
  }

  private onNotice(message: string): void {
    const refresh = message.startsWith(TEAM_MESSAGE)
      ? this.refreshTeam(message.slice(TEAM_MESSAGE.length))
      : this.refreshKey(message);
    refresh.catch((error: unknown) => this.report(error, `refreshing ${message} after a change notice failed`));
  }

  private async announce(message: string): Promise<void> {
    try {
      await this.options.bus?.publish(this.options.topic, message);
    } catch (error) {
      // The other replicas catch up at their next periodic reload.
      this.report(error, `publishing the change of ${message} failed`);
    }
  }

  private async allManagedTeams(): Promise<ManagedTeamRecord[]> {
    const teams: ManagedTeamRecord[] = [];
    for (;;) {
      const page = await this.tenancy().listTeams({ limit: TEAM_PAGE, offset: teams.length });
      teams.push(...page.teams);
      if (page.teams.length < TEAM_PAGE || teams.length >= page.total) return teams;
    }
  }

  /** Recomputes the entries and the hash ring from the current keys and teams (config teams win). */
  private rebuild(): void {
    const teams = new Map<string, TeamEntry>();
    for (const team of this.managedTeams.values())
      teams.set(team.name, { name: team.name, models: [...team.models], limits: limitRulesFromStored(team) });
    for (const team of this.configTeams) teams.set(team.name, teamFromConfig(team));
    const ringKeys: Array<{ hash: string; entry: ApiKeyEntry }> = [];
    const entries = new Map<string, ApiKeyEntry>();
    const add = (
      hash: string,
      teamName: string | null | undefined,
      build: (team: TeamEntry | undefined) => ApiKeyEntry,
    ) => {
      const team = teamName ? teams.get(teamName) : undefined;
      const entry = build(team);
      // A key whose team is gone would escape the team's limits: refused until it is fixed.
      if (teamName && team === undefined) return this.reportOrphan(entry, teamName);
      ringKeys.push({ hash, entry });
      entries.set(entry.id, entry);
    };
    for (const { hash, spec } of this.staticKeys) add(hash, spec.team, (team) => staticKeyEntry(spec, team));
    for (const record of this.managedKeys.values())
      add(record.hash, record.team, (team) => managedKeyEntry(record, team));
    this.teams = teams;
    this.entries = entries;
    this.ring = new KeyRing(ringKeys);
  }

  private reportOrphan(entry: ApiKeyEntry, teamName: string): void {
    if (this.reportedOrphans.has(entry.id)) return;
    this.reportedOrphans.add(entry.id);
    this.report(new Error(`key ${entry.id} (${entry.name}) belongs to unknown team "${teamName}"`), 'key refused');
  }

  private report(error: unknown, context: string): void {
    this.options.onError?.(error, context);
  }
}

function isExpired(entry: ApiKeyEntry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

function keepCurrent<T>(next: Map<string, T>, current: ReadonlyMap<string, T>, name: string): void {
  const value = current.get(name);
  if (value === undefined) next.delete(name);
  else next.set(name, value);
}
