import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { type ChatMessage, type StreamResult, streamChat } from '../api/chat-stream.ts';
import type { ListOf, ModelView, Price } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../components/Status.tsx';
import { formatCount, formatUsd } from '../format.ts';
import { useApi } from '../useApi.ts';

interface Turn {
  message: ChatMessage;
  result?: StreamResult;
  costUsd?: number | null;
  error?: string;
}

/** Cost of a reply from its usage and the model's price (the cheapest priced deployment), when the server sent none. */
function costFrom(result: StreamResult, price: Price | null): number | null {
  if (result.costUsd !== null && Number.isFinite(result.costUsd)) return result.costUsd;
  if (!result.usage || !price) return null;
  const cached = result.usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cachedPrice = price.cachedInputPerMTokUsd ?? price.inputPerMTokUsd;
  return (
    ((result.usage.prompt_tokens - cached) * price.inputPerMTokUsd +
      cached * cachedPrice +
      result.usage.completion_tokens * price.outputPerMTokUsd) /
    1_000_000
  );
}

export function Playground() {
  const models = useApi<ListOf<ModelView>>('/admin/models');
  const choices = (models.data?.data ?? []).filter((model) => !model.wildcard);
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [input, setInput] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState(false);
  const abort = useRef<AbortController>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (model === '' && choices[0]) setModel(choices[0].name);
  }, [model, choices]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll on every new piece of text.
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [turns]);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const text = input.trim();
    if (text === '' || model === '' || streaming) return;
    const history: ChatMessage[] = [
      ...(system.trim() === '' ? [] : [{ role: 'system' as const, content: system.trim() }]),
      ...turns.filter((turn) => !turn.error).map((turn) => turn.message),
      { role: 'user', content: text },
    ];
    const price =
      models.data?.data.find((m) => m.name === model)?.deployments.find((d) => d.price !== null)?.price ?? null;
    setTurns((current) => [
      ...current,
      { message: { role: 'user', content: text } },
      { message: { role: 'assistant', content: '' } },
    ]);
    setInput('');
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    const updateLast = (update: (turn: Turn) => Turn) =>
      setTurns((current) => [...current.slice(0, -1), update(current.at(-1) as Turn)]);
    try {
      const result = await streamChat(
        model,
        history,
        (piece) =>
          updateLast((turn) => ({ ...turn, message: { ...turn.message, content: turn.message.content + piece } })),
        controller.signal,
      );
      updateLast((turn) => ({ ...turn, result, costUsd: costFrom(result, price) }));
    } catch (reason) {
      const message = (reason as Error).name === 'AbortError' ? 'Stopped.' : (reason as Error).message;
      updateLast((turn) => ({ ...turn, error: message }));
    } finally {
      setStreaming(false);
      abort.current = null;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  if (models.error) return <ErrorBox error={models.error} onRetry={models.reload} />;
  if (!models.data) return <Loading />;

  return (
    <>
      <PageHeader
        title="Playground"
        subtitle="Chat with any model through the gateway. Requests are logged under the key “admin”."
      >
        <button
          type="button"
          className="button"
          disabled={turns.length === 0 || streaming}
          onClick={() => setTurns([])}
        >
          Clear chat
        </button>
      </PageHeader>
      {choices.length === 0 ? (
        <Empty title="No model to chat with.">Add a model under models: in the config.</Empty>
      ) : (
        <div className="playground">
          <div className="playground-settings card">
            <label className="field">
              <span>Model</span>
              <select name="model" value={model} onChange={(e) => setModel(e.target.value)} disabled={streaming}>
                {choices.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>System prompt (optional)</span>
              <textarea name="system" rows={3} value={system} onChange={(e) => setSystem(e.target.value)} />
            </label>
          </div>
          <div className="chat card">
            <div className="chat-log" ref={log} aria-live="polite" data-testid="chat-log">
              {turns.length === 0 && <p className="muted center">Send a message to start.</p>}
              {turns.map((turn, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: turns are append-only.
                <div key={index} className={`bubble ${turn.message.role}`} data-role={turn.message.role}>
                  <div className="bubble-text">
                    {turn.message.content || (streaming && index === turns.length - 1 ? '…' : '')}
                  </div>
                  {turn.error && (
                    <div className="form-error" role="alert">
                      {turn.error}
                    </div>
                  )}
                  {turn.result && (
                    <div className="bubble-meta" data-testid="reply-usage">
                      {turn.result.usage
                        ? `${formatCount(turn.result.usage.prompt_tokens)} in · ${formatCount(turn.result.usage.completion_tokens)} out`
                        : 'no usage reported'}
                      {' · '}
                      {turn.costUsd === null || turn.costUsd === undefined ? 'cost unknown' : formatUsd(turn.costUsd)}
                      {turn.result.model ? ` · ${turn.result.model}` : ''}
                    </div>
                  )}
                </div>
              ))}
            </div>
            <form className="chat-input" onSubmit={(event) => void send(event)}>
              <label className="sr-only" htmlFor="chat-message">
                Message
              </label>
              <textarea
                id="chat-message"
                name="message"
                rows={2}
                placeholder="Message (Enter to send, Shift+Enter for a new line)"
                value={input}
                onChange={(e) => setInput(e.target.value)}
                onKeyDown={onKeyDown}
              />
              {streaming ? (
                <button type="button" className="button" onClick={() => abort.current?.abort()}>
                  Stop
                </button>
              ) : (
                <button type="submit" className="button primary" disabled={input.trim() === ''}>
                  Send
                </button>
              )}
            </form>
          </div>
        </div>
      )}
    </>
  );
}
