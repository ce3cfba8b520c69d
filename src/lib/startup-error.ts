/**
 * An expected start-up failure (a store that cannot be opened, …) whose message is one sentence
 * naming the setting to change: the CLI prints it alone, without a stack trace.
 */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}
