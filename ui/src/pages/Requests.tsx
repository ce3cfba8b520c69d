import { type FormEvent, useEffect, useState } from 'react';
import { api, queryString } from '../api/client.ts';
import type { RequestPage, RequestRecord } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { RequestsTable } from '../components/RequestsTable.tsx';
import { Empty, ErrorBox, Loading } from '../components/Status.tsx';
import { toEpochMs } from '../format.ts';

interface Filters {
  keyName: string;
  model: string;
  status: string;
  since: string;
  until: string;
}

const NO_FILTERS: Filters = { keyName: '', model: '', status: '', since: '', until: '' };
const PAGE_SIZE = 50;

/** datetime-local text (the browser's time zone) → epoch ms. */
const instant = (text: string) => (text === '' ? undefined : new Date(text).getTime());

function pagePath(filters: Filters, before: string | number | undefined): string {
  return `/admin/requests${queryString({
    limit: PAGE_SIZE,
    keyName: filters.keyName.trim(),
    model: filters.model.trim(),
    status: filters.status,
    since: instant(filters.since),
    until: instant(filters.until),
    before,
  })}`;
}

export function Requests() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<RequestRecord[]>();
  const [next, setNext] = useState<string | number>();
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the refresh trigger.
  useEffect(() => {
    const controller = new AbortController();
    setRows(undefined);
    setError(undefined);
    api<RequestPage>(pagePath(filters, undefined), { signal: controller.signal })
      .then((page) => {
        setRows(page.data);
        setNext(nextCursor(page));
      })
      .catch((reason: Error) => {
        if (reason.name !== 'AbortError') setError(reason);
      });
    return () => controller.abort();
  }, [filters, generation]);

  const loadMore = async () => {
    if (next === undefined) return;
    setLoadingMore(true);
    try {
      const page = await api<RequestPage>(pagePath(filters, next));
      setRows((current) => [...(current ?? []), ...page.data]);
      setNext(nextCursor(page));
    } catch (reason) {
      setError(reason as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft });
  };
  const set = (patch: Partial<Filters>) => setDraft((current) => ({ ...current, ...patch }));
  const filtered = Object.values(filters).some((value) => value !== '');

  return (
    <>
      <PageHeader
        title="Requests"
        subtitle="Every request through llmux, newest first. Prompts and answers are not stored."
      >
        <button type="button" className="button" onClick={() => setGeneration((n) => n + 1)}>
          Refresh
        </button>
      </PageHeader>
      <form className="filters card" onSubmit={apply} aria-label="Filter requests">
        <label className="field">
          <span>Key</span>
          <input
            name="keyName"
            placeholder="any key"
            value={draft.keyName}
            onChange={(e) => set({ keyName: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Model</span>
          <input
            name="model"
            placeholder="any model"
            value={draft.model}
            onChange={(e) => set({ model: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Status</span>
          <select name="status" value={draft.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">any</option>
            <option value="200">200</option>
            <option value="400">400</option>
            <option value="401">401</option>
            <option value="404">404</option>
            <option value="429">429</option>
            <option value="500">500</option>
            <option value="502">502</option>
            <option value="503">503</option>
            <option value="504">504</option>
          </select>
        </label>
        <label className="field">
          <span>From</span>
          <input
            type="datetime-local"
            name="since"
            value={draft.since}
            onChange={(e) => set({ since: e.target.value })}
          />
        </label>
        <label className="field">
          <span>To</span>
          <input
            type="datetime-local"
            name="until"
            value={draft.until}
            onChange={(e) => set({ until: e.target.value })}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            Apply
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {error ? (
        <ErrorBox error={error} onRetry={() => setGeneration((n) => n + 1)} />
      ) : !rows ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty title={filtered ? 'No request matches these filters.' : 'No requests yet.'}>
          {filtered ? 'Widen the time range or clear a filter.' : 'Requests appear here as soon as clients call llmux.'}
        </Empty>
      ) : (
        <>
          <RequestsTable rows={rows} />
          {next !== undefined && (
            <div className="toolbar center">
              <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? 'Loading…' : 'Older requests'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function nextCursor(page: RequestPage): string | number | undefined {
  if (page.nextBefore !== undefined) return page.nextBefore ?? undefined;
  if (page.has_more === false || page.data.length < PAGE_SIZE) return undefined;
  return toEpochMs(page.data.at(-1)?.timestamp) ?? undefined;
}
