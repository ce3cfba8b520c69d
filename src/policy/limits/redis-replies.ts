/** Reading the scripts' replies (redis-scripts.ts documents their layout). */
import { gcraWindow, mostConstrained } from './gcra.ts';
import { LimiterUnavailable, type LimitSubject, type RateWindow } from './types.ts';

const ADMIT_HEAD = 5;
const ADMIT_PER_SUBJECT = 4;

export interface SubjectReply {
  requestsTat: number | undefined;
  tokensTat: number | undefined;
  periodStart: number | undefined;
  needsSeed: boolean;
}

export function stringArray(reply: unknown, what: string): string[] {
  if (!Array.isArray(reply) || !reply.every((item) => typeof item === 'string')) {
    throw new LimiterUnavailable(`unexpected ${what} reply from Redis`);
  }
  return reply;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}

export function parseSubject(reply: string[], index: number): SubjectReply {
  const at = ADMIT_HEAD + index * ADMIT_PER_SUBJECT;
  return {
    requestsTat: optionalNumber(reply[at]),
    tokensTat: optionalNumber(reply[at + 1]),
    periodStart: optionalNumber(reply[at + 2]),
    needsSeed: reply[at + 3] === '1',
  };
}

export function windowsOf(
  subjects: readonly LimitSubject[],
  replies: readonly SubjectReply[],
  now: number,
): { requests: RateWindow | undefined; tokens: RateWindow | undefined } {
  const requests: RateWindow[] = [];
  const tokens: RateWindow[] = [];
  subjects.forEach((subject, index) => {
    const reply = replies[index];
    if (subject.rules.rpm !== undefined) requests.push(gcraWindow(reply?.requestsTat, now, subject.rules.rpm));
    if (subject.rules.tpm !== undefined) tokens.push(gcraWindow(reply?.tokensTat, now, subject.rules.tpm));
  });
  return { requests: mostConstrained(requests), tokens: mostConstrained(tokens) };
}
