/**
 * USD → micro-USD, rounded up to a whole micro. Float noise (0.1 * 3 = 0.30000000000000004) must not
 * add a micro, so a value within 1e-6 µUSD of an integer counts as that integer.
 */
export function usdToMicros(usd: number): number {
  return microsUp(usd * 1_000_000);
}

/** A micro-USD amount computed in floating point → an integer, rounded up past float noise. */
export function microsUp(micros: number): number {
  if (!Number.isFinite(micros) || micros <= 0) return 0;
  const nearest = Math.round(micros);
  return Math.abs(micros - nearest) <= 1e-6 ? nearest : Math.ceil(micros);
}

/** A token count from anywhere: non-negative finite numbers, else 0. */
export function tokens(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
