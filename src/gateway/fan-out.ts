import type { ChatResult, StreamEvent, Usage } from '../core/types.ts';

/** Sums usage of several upstream requests answering one client request (each paid its prompt). */
export function sumUsage(usages: Array<Usage | undefined>): Usage | undefined {
  const present = usages.filter((usage): usage is Usage => usage !== undefined);
  if (present.length === 0) return undefined;
  const sum = (pick: (usage: Usage) => number | undefined): number | undefined => {
    const values = present.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  const out: Usage = {
    inputTokens: sum((u) => u.inputTokens) ?? 0,
    outputTokens: sum((u) => u.outputTokens) ?? 0,
    estimated: present.some((u) => u.estimated),
  };
  const optional = [
    'cachedInputTokens',
    'cacheWriteTokens',
    'reasoningTokens',
    'audioInputTokens',
    'audioOutputTokens',
  ] as const;
  for (const key of optional) {
    const value = sum((u) => u[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Merges results of parallel upstream requests into one result with choices renumbered 0..n-1. */
export function mergeResults(results: ChatResult[]): ChatResult {
  const [first] = results;
  if (!first) throw new Error('mergeResults needs at least one result');
  const choices = results.flatMap((result) => result.choices).map((choice, index) => ({ ...choice, index }));
  const merged: ChatResult = { ...first, choices };
  const usage = sumUsage(results.map((result) => result.usage));
  if (usage) merged.usage = usage;
  else delete merged.usage;
  return merged;
}

/**
 * Interleaves the event streams of parallel upstream requests as one stream: choice indexes are
 * offset per source, one `response-start` is kept, and usage is summed into one event at the end.
 *
 * When the merge stops early (a source failed, or the consumer stopped), `release` is called
 * first: it must abort the sources still waiting for upstream bytes, else closing them would wait
 * for their next chunk (an async generator's return() queues behind a pending next()).
 */
export async function* mergeEventStreams(
  sources: Array<AsyncIterable<StreamEvent[]>>,
  choicesPerSource: number,
  release?: () => void,
): AsyncGenerator<StreamEvent[]> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const usages: Array<Usage | undefined> = sources.map(() => undefined);
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<StreamEvent[]> }>>();
  const pull = (index: number) => {
    const iterator = iterators[index];
    if (iterator)
      pending.set(
        index,
        iterator.next().then((result) => ({ index, result })),
      );
  };
  for (let index = 0; index < iterators.length; index++) pull(index);
  let started = false;
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      const out: StreamEvent[] = [];
      for (const event of result.value) {
        if (event.type === 'usage') usages[index] = event.usage;
        else if (event.type === 'response-start') {
          if (!started) out.push(event);
          started = true;
        } else if ('choice' in event) out.push({ ...event, choice: event.choice + index * choicesPerSource });
        else out.push(event);
      }
      if (out.length > 0) yield out;
    }
  } finally {
    if (pending.size > 0) release?.();
    // The reads still pending now fail (aborted) or end: settled here, never unhandled.
    await Promise.allSettled([...pending.values(), ...iterators.map((iterator) => iterator.return?.())]);
  }
  const usage = sumUsage(usages);
  if (usage) yield [{ type: 'usage', usage }];
}
