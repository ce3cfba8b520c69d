// Fake upstream for the benchmark: answers OpenAI chat completions and Responses, Anthropic Messages and Gemini
// generateContent / streamGenerateContent with recorded bodies from ../shared/fixtures, as fast as it can.
// Usage: node bench/procs/upstream.mjs <port> <fixturesDir>   (prints {"port":N} once listening)
//
// A model name containing "-gap" (request body, or the URL for Gemini) makes a stream pause GAP_MS
// right after the first event that carries text: the TTFT probe measures how long a gateway holds
// that first token. Otherwise a stream is written as one burst (socket corked, one write per event)
// unless BENCH_SSE_MODE=events, which yields to the event loop between events.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const port = Number(process.argv[2] ?? 0);
const fixtures = process.argv[3] ?? new URL('../../../shared/fixtures', import.meta.url).pathname;
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 5);
const SPREAD_EVENTS = process.env.BENCH_SSE_MODE === 'events';

const read = (path) => readFileSync(join(fixtures, path));
const lines = (path) =>
  read(path)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

/** A body: the bytes, plus for streams the events and how many precede the pause in gap mode. */
function stream(events, isText) {
  const buffers = events.map((event) => Buffer.from(event));
  const first = events.findIndex(isText);
  return { events: buffers, head: first === -1 ? 1 : first + 1 };
}

const dataOf = (event) => JSON.parse(event.slice(event.indexOf('data: ') + 6).trim());

const openaiEvents = read('openai/openai-python/e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd.bin')
  .toString('utf8')
  .split('\n\n')
  .filter((event) => event !== '')
  .map((event) => `${event}\n\n`);
const anthropicLines = lines('anthropic/vercel-ai/anthropic-text.chunks.txt');
// Responses API: a recorded stream (raw SSE with event: lines) and body.
const responsesRecord = JSON.parse(read('openai-responses/openai-dotnet/HelloWorldStreaming(%gpt-4o-mini%).json'));
const responsesEvents = responsesRecord.Entries[0].ResponseBody.join('')
  .split('\n\n')
  .filter((event) => event !== '')
  .map((event) => `${event}\n\n`);
const geminiLines = lines('gemini/vercel-ai/google-text.chunks.txt');

const BODIES = {
  openai: {
    json: read('openai/vercel-ai/openai-text.json'),
    sse: stream(openaiEvents, (event) => {
      if (event.startsWith('data: [DONE]')) return false;
      const content = dataOf(event).choices?.[0]?.delta?.content;
      return typeof content === 'string' && content !== '';
    }),
  },
  responses: {
    json: read('openai-responses/vercel-ai/openai-reasoning-encrypted-content.1.json'),
    sse: stream(responsesEvents, (event) => dataOf(event).type === 'response.output_text.delta'),
  },
  anthropic: {
    json: read('anthropic/vercel-ai/anthropic-text.json'),
    sse: stream(
      anthropicLines.map((line) => `event: ${JSON.parse(line).type}\ndata: ${line}\n\n`),
      (event) => dataOf(event).type === 'content_block_delta',
    ),
  },
  gemini: {
    json: read('gemini/vercel-ai/google-text.json'),
    sse: stream(
      geminiLines.map((line) => `data: ${line}\r\n\r\n`),
      (event) => (dataOf(event).candidates?.[0]?.content?.parts ?? []).some((part) => part.text),
    ),
  },
};

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function writeEvents(res, events, from, to) {
  res.cork();
  for (let i = from; i < to; i += 1) res.write(events[i]);
  res.uncork();
}

function sendStream(res, body, gap) {
  res.writeHead(200, SSE_HEADERS);
  const { events, head } = body;
  if (gap) {
    writeEvents(res, events, 0, head);
    setTimeout(() => {
      writeEvents(res, events, head, events.length);
      res.end();
    }, GAP_MS);
    return;
  }
  if (!SPREAD_EVENTS) {
    writeEvents(res, events, 0, events.length);
    res.end();
    return;
  }
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    res.write(events[i]);
    i += 1;
    if (i < events.length) setImmediate(next);
    else res.end();
  };
  next();
}

function sendJson(res, bytes) {
  res.writeHead(200, { ...JSON_HEADERS, 'content-length': bytes.length });
  res.end(bytes);
}

const STREAM_FLAG = /"stream"\s*:\s*true/;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0].toString('latin1') : Buffer.concat(chunks).toString('latin1');
    const url = req.url ?? '/';
    // A query string (Claude Code's `/v1/messages?beta=true`) does not change the answer.
    const path = url.split('?', 1)[0];
    const gap = url.includes('-gap') || body.includes('-gap"');
    if (req.method !== 'POST') {
      sendJson(res, Buffer.from('{"ok":true}'));
    } else if (url.includes(':streamGenerateContent')) {
      sendStream(res, BODIES.gemini.sse, gap);
    } else if (url.includes(':generateContent')) {
      sendJson(res, BODIES.gemini.json);
    } else if (path.endsWith('/messages')) {
      if (STREAM_FLAG.test(body)) sendStream(res, BODIES.anthropic.sse, gap);
      else sendJson(res, BODIES.anthropic.json);
    } else if (path.endsWith('/responses')) {
      if (STREAM_FLAG.test(body)) sendStream(res, BODIES.responses.sse, gap);
      else sendJson(res, BODIES.responses.json);
    } else if (path.endsWith('/chat/completions')) {
      if (STREAM_FLAG.test(body)) sendStream(res, BODIES.openai.sse, gap);
      else sendJson(res, BODIES.openai.json);
    } else {
      res.writeHead(404, JSON_HEADERS);
      res.end(`{"error":{"message":"fake upstream: no route for ${req.method} ${url}"}}`);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
