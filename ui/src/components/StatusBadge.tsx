export function StatusBadge(props: { status: number; errorCode?: string | null }) {
  const tone = props.status < 400 ? 'ok' : props.status === 429 || props.status < 500 ? 'warn' : 'danger';
  return (
    <span className={`badge ${tone}`} title={props.errorCode ?? undefined}>
      {props.status}
      {props.errorCode && <span className="hide-narrow"> · {props.errorCode}</span>}
    </span>
  );
}
