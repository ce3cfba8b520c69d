/** Number and time formatting shared by every page. */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Math.abs(value) >= 10_000 ? compact.format(value) : whole.format(value);
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0.00';
  if (Math.abs(value) < 0.01) return `$${value.toFixed(6).replace(/0+$/, '')}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${Math.round(value)} ms`;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const percent = value * 100;
  return `${percent === 0 || percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** A request rate with its unit: per minute when under one 0.1 a second (a quiet gateway reads better so). */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined) return '—';
  if (perSecond === 0) return '0 req/s';
  if (perSecond < 0.1) return `${(perSecond * 60).toFixed(perSecond * 60 < 1 ? 2 : 1)} req/min`;
  return `${perSecond.toFixed(2)} req/s`;
}

export function toEpochMs(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Date.parse(value);
}

export function formatTime(value: string | number | null | undefined): string {
  const ms = toEpochMs(value);
  if (ms === null || Number.isNaN(ms)) return '—';
  return new Date(ms).toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Time of day for rows of today, else day and time: short enough for a table on a phone. */
export function formatShortTime(value: string | number | null | undefined, now = new Date()): string {
  const ms = toEpochMs(value);
  if (ms === null || Number.isNaN(ms)) return '—';
  const date = new Date(ms);
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (date.toDateString() === now.toDateString()) return time;
  return `${date.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })} ${time}`;
}

export function formatAgo(value: string | number | null | undefined, now = Date.now()): string {
  const ms = toEpochMs(value);
  if (ms === null || Number.isNaN(ms)) return 'never';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** "a month", "in total": how a budget period reads after an amount. */
export function perPeriod(period: string): string {
  return period === 'total' ? 'in total' : `a ${period}`;
}
