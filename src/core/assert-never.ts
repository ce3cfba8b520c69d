/**
 * The `default` of a switch over a closed union: tsc rejects the call when a member is not handled,
 * so adding a `Part` or `StreamEvent` kind lists every switch that must learn it.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
