import type { ApiKeyEntry } from './key-store.ts';
import type { LimitRules, LimitSubject } from './limits/types.ts';

export function hasRules(rules: LimitRules): boolean {
  return (
    rules.rpm !== undefined ||
    rules.tpm !== undefined ||
    rules.maxConcurrent !== undefined ||
    rules.budget !== undefined
  );
}

/** The key and its team, each when it has a limit or a budget (a team's apply to the sum of its keys). */
export function limitSubjects(key: ApiKeyEntry): LimitSubject[] {
  const subjects: LimitSubject[] = [];
  if (hasRules(key.limits)) subjects.push({ kind: 'key', id: key.id, rules: key.limits });
  if (key.team !== undefined && hasRules(key.team.limits)) {
    subjects.push({ kind: 'team', id: key.team.name, rules: key.team.limits });
  }
  return subjects;
}
