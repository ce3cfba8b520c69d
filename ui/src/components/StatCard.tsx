/** One headline figure; `secondary` is a second figure shown smaller beside it (p95 next to p50). */
export function StatCard(props: { label: string; value: string; secondary?: string; hint?: string; testId?: string }) {
  return (
    <div className="stat" data-testid={props.testId}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">
        {props.value}
        {props.secondary && <span className="stat-secondary"> / {props.secondary}</span>}
      </div>
      {props.hint && <div className="stat-hint">{props.hint}</div>}
    </div>
  );
}
