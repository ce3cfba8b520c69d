import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (null = nothing yet) and re-fetches when it changes, on reload(), and every
 * `refreshMs` while the tab is visible (the data shown stays until the new answer arrives).
 */
export function useApi<T>(path: string | null, refreshMs?: number): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger.
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    api<T>(path, { signal: controller.signal })
      .then((value) => {
        setData(value);
        setError(undefined);
      })
      .catch((reason: Error) => {
        if (reason.name !== 'AbortError') setError(reason);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation]);

  useEffect(() => {
    if (refreshMs === undefined || path === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setGeneration((n) => n + 1);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, path]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}
