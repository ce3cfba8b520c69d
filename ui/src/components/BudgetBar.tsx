import { formatUsd, perPeriod } from '../format.ts';

/** A sliver for any spend at all, so a small one does not read as none. */
const visibleWidth = (ratio: number, spent: number) => (spent > 0 ? Math.max(2, ratio * 100) : 0).toFixed(1);

/** Spend this period against the budget; red past 90%. */
export function BudgetBar(props: { spentUsd: number; limitUsd: number; period: string }) {
  const ratio = props.limitUsd > 0 ? Math.min(1, props.spentUsd / props.limitUsd) : 1;
  const tone = ratio >= 0.9 ? 'bar-fill danger' : ratio >= 0.7 ? 'bar-fill warn' : 'bar-fill';
  const label = `${formatUsd(props.spentUsd)} spent of ${formatUsd(props.limitUsd)} ${perPeriod(props.period)}`;
  return (
    <div className="budget" title={label}>
      <div className="bar" aria-hidden="true">
        <div className={tone} style={{ width: `${visibleWidth(ratio, props.spentUsd)}%` }} />
      </div>
      <div className="budget-text">
        {formatUsd(props.spentUsd)} <span className="muted">/ {formatUsd(props.limitUsd)}</span>
      </div>
    </div>
  );
}
