import type { BudgetPeriod } from '../api/types.ts';
import type { LimitsDraft } from '../limits-form.ts';

/** rpm, tpm, concurrency and budget inputs shared by the key and team forms. */
export function LimitsFields(props: {
  draft: LimitsDraft;
  onChange(draft: LimitsDraft): void;
  errorField?: string | undefined;
}) {
  const { draft, onChange } = props;
  const set = (patch: Partial<LimitsDraft>) => onChange({ ...draft, ...patch });
  const invalid = (field: string) => props.errorField === field;
  return (
    <>
      <div className="form-row">
        <label className="field">
          <span>Requests / min</span>
          <input
            inputMode="numeric"
            name="rpm"
            placeholder="unlimited"
            value={draft.rpm}
            aria-invalid={invalid('rpm')}
            onChange={(e) => set({ rpm: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Tokens / min</span>
          <input
            inputMode="numeric"
            name="tpm"
            placeholder="unlimited"
            value={draft.tpm}
            aria-invalid={invalid('tpm')}
            onChange={(e) => set({ tpm: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Concurrent</span>
          <input
            inputMode="numeric"
            name="maxConcurrent"
            placeholder="unlimited"
            value={draft.maxConcurrent}
            aria-invalid={invalid('maxConcurrent')}
            onChange={(e) => set({ maxConcurrent: e.target.value })}
          />
        </label>
      </div>
      <div className="form-row">
        <label className="field">
          <span>Budget (USD)</span>
          <input
            inputMode="decimal"
            name="budgetUsd"
            placeholder="none"
            value={draft.budgetUsd}
            aria-invalid={invalid('budgetUsd') || invalid('budget.usd')}
            onChange={(e) => set({ budgetUsd: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Budget period</span>
          <select
            name="budgetPeriod"
            value={draft.budgetPeriod}
            onChange={(e) => set({ budgetPeriod: e.target.value as BudgetPeriod })}
          >
            <option value="day">per day</option>
            <option value="week">per week</option>
            <option value="month">per month</option>
            <option value="total">in total</option>
          </select>
        </label>
      </div>
    </>
  );
}
