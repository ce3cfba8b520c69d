/**
 * Micro-benchmark: ns/event to frame and decode the biggest recorded SSE stream.
 * Run: node --import tsx bench/sse-decoder.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SseDecoder, SseFramer } from '../src/lib/sse.ts';

const FIXTURES = new URL('../../shared/fixtures/', import.meta.url);
const DIRECTORIES = ['openai/openai-python/', 'derived-sse/'];

function biggestFixture(): { name: string; bytes: Buffer } {
  let best = { name: '', size: -1 };
  for (const directory of DIRECTORIES) {
    for (const file of readdirSync(new URL(directory, FIXTURES))) {
      const size = statSync(new URL(directory + file, FIXTURES)).size;
      if (size > best.size) best = { name: directory + file, size };
    }
  }
  return { name: best.name, bytes: readFileSync(new URL(best.name, FIXTURES)) };
}

function chunk(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

function decodeCount(chunks: readonly Buffer[]): number {
  const decoder = new SseDecoder();
  let count = 0;
  for (const piece of chunks) count += decoder.push(piece).length;
  return count + decoder.end().length;
}

function frameCount(chunks: readonly Buffer[]): number {
  const framer = new SseFramer();
  let count = 0;
  for (const piece of chunks) count += framer.push(piece).length;
  return count + (framer.end() === null ? 0 : 1);
}

function measure(label: string, run: () => number, budgetMs = 1500): void {
  for (let i = 0; i < 20; i += 1) run(); // warm-up
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (performance.now() < deadline) {
    const start = process.hrtime.bigint();
    const events = run();
    samples.push(Number(process.hrtime.bigint() - start) / events);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  const best = samples[0] ?? Number.NaN;
  console.log(
    `${label.padEnd(36)} ${median.toFixed(0).padStart(6)} ns/event median, ${best.toFixed(0)} best (${samples.length} runs)`,
  );
}

const { name, bytes } = biggestFixture();
const whole = [bytes];
const packets = chunk(bytes, 1448);
const events = decodeCount(whole);
console.log(`${name}: ${bytes.length} bytes, ${events} events, ${packets.length} chunks of 1448 B`);
measure('decode, one push', () => decodeCount(whole));
measure('decode, 1448-byte chunks', () => decodeCount(packets));
measure('frame only, 1448-byte chunks', () => frameCount(packets));
