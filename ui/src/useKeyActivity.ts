import { useEffect, useState } from 'react';
import { api, queryString } from './api/client.ts';
import type { BudgetStatus, KeyView, RequestPage } from './api/types.ts';
import { toEpochMs } from './format.ts';

export interface KeyActivity {
  spend: BudgetStatus | null;
  lastUsedAt: number | null;
}

/**
 * Spend this period (GET /admin/keys/{id}) and last use (newest request-log row) of the keys shown,
 * fetched per key after the list renders so the list never waits on them.
 */
export function useKeyActivity(keys: KeyView[] | undefined): Map<string, KeyActivity> {
  const [activity, setActivity] = useState(new Map<string, KeyActivity>());
  useEffect(() => {
    if (!keys) return;
    const controller = new AbortController();
    const signal = controller.signal;
    const one = async (key: KeyView): Promise<[string, KeyActivity]> => {
      const [detail, last] = await Promise.all([
        key.budget === null
          ? Promise.resolve(undefined)
          : api<KeyView>(`/admin/keys/${encodeURIComponent(key.id)}`, { signal }).catch(() => undefined),
        key.lastUsedAt !== undefined
          ? Promise.resolve(toEpochMs(key.lastUsedAt))
          : api<RequestPage>(`/admin/requests${queryString({ key: key.id, limit: 1 })}`, { signal })
              .then((page) => toEpochMs(page.data[0]?.timestamp))
              .catch(() => null),
      ]);
      return [key.id, { spend: detail?.spend ?? null, lastUsedAt: last }];
    };
    Promise.all(keys.map(one))
      .then((entries) => {
        if (!signal.aborted) setActivity(new Map(entries));
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [keys]);
  return activity;
}
