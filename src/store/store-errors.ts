/** A create or update hit a unique column: a key id or hash, or a team name, that already exists. */
export class DuplicateRecordError extends Error {
  override readonly name = 'DuplicateRecordError';
}

/** `deleteTeam` refused: live (not revoked) keys still belong to the team. */
export class TeamInUseError extends Error {
  override readonly name = 'TeamInUseError';
  readonly liveKeys: number;

  constructor(team: string, liveKeys: number) {
    super(`team "${team}" still has ${liveKeys} live key(s): revoke them or move them to another team first`);
    this.liveKeys = liveKeys;
  }
}

/** SQLite (`SQLITE_CONSTRAINT_UNIQUE`, `…_PRIMARYKEY`) and Postgres (`23505`) unique violations. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a write, turning a unique violation into a `DuplicateRecordError` that says what clashed. */
export async function failOnDuplicate<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateRecordError(`${what} already exists`, { cause: error });
    throw error;
  }
}
