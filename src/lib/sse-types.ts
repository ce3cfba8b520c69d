/** One server-sent event as decoded from the wire. */
export interface SseEvent {
  /** `event:` field, undefined when absent. */
  event: string | undefined;
  /** `data:` lines joined with "\n". */
  data: string;
  /** `id:` field, undefined when absent. */
  id?: string;
}
