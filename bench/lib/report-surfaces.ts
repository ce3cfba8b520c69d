/**
 * Issue 10's surface routes: the client speaks Anthropic Messages or Gemini natively. Targets: passthrough
 * (Messages → Anthropic, Gemini → Gemini) CPU per request ≤ 2× the bare proxy forwarding the same client body,
 * like the chat passthrough; Messages → OpenAI-compatible translated ≤ 3×.
 */
import { type Mode, type Route, SURFACE_ROUTES, type SurfaceRoute, scenarioKey, type TargetId } from './matrix.ts';
import { type Check, check, cpuRatio, type Index } from './report-index.ts';

const PASSTHROUGH: { route: SurfaceRoute; what: string }[] = [
  { route: 'messages-pass', what: 'Messages → Anthropic passthrough' },
  { route: 'gemini-pass', what: 'Gemini → Gemini passthrough' },
  { route: 'responses-pass', what: 'Responses → OpenAI passthrough' },
];
const TRANSLATED = { route: 'messages-translated' as const, what: 'Messages → OpenAI-compatible translated' };
const MODES: readonly Mode[] = ['json', 'sse'];

export function surfacesChecks(index: Index): Check[] {
  const has = (scenario: string, target: TargetId) => index.runs(scenario, target).length > 0;
  const overBare = (scenario: string, bareScenario = scenario) =>
    has(scenario, 'llmux') && has(bareScenario, 'bare')
      ? index.paired({ scenario, target: 'llmux' }, { scenario: bareScenario, target: 'bare' }, cpuRatio)
      : undefined;
  const checks: Check[] = [];
  for (const connections of [32, 1]) {
    for (const { route, what } of PASSTHROUGH) {
      for (const mode of MODES) {
        const value = overBare(scenarioKey({ route, mode, connections }));
        if (value === undefined) continue;
        checks.push(
          check(`llmux CPU/req ÷ bare proxy, ${what} ${mode} @${connections}`, value, 'ratio', '≤ 2×', (v) => v <= 2),
        );
      }
    }
  }
  for (const connections of [32, 1]) {
    for (const mode of MODES) {
      const scenario = scenarioKey({ route: TRANSLATED.route, mode, connections });
      const value = overBare(scenario);
      if (value !== undefined) {
        checks.push(
          check(
            `llmux CPU/req ÷ bare proxy, ${TRANSLATED.what} ${mode} @${connections} (bare forwards the Messages body)`,
            value,
            'ratio',
            '≤ 3×',
            (v) => v <= 3,
          ),
        );
      }
      if (connections !== 32) continue;
      // The bare proxy carrying the bytes llmux's upstream call carries (OpenAI chat in and out).
      const vsOpenAI = overBare(scenario, scenarioKey({ route: 'openai', mode, connections }));
      if (vsOpenAI === undefined) continue;
      checks.push(
        check(
          `llmux CPU/req ÷ bare proxy, ${TRANSLATED.what} ${mode} @32 vs bare on OpenAI passthrough`,
          vsOpenAI,
          'ratio',
          '≤ 3×',
          (v) => v <= 3,
        ),
      );
    }
  }
  // Context: a surface's passthrough against the chat passthrough, llmux against llmux.
  for (const { route, what } of PASSTHROUGH) {
    for (const mode of MODES) {
      const scenario = scenarioKey({ route, mode, connections: 32 });
      const chat = scenarioKey({ route: 'openai', mode, connections: 32 });
      if (!has(scenario, 'llmux') || !has(chat, 'llmux')) continue;
      checks.push(
        check(
          `(context) llmux CPU/req, ${what} ÷ chat passthrough, ${mode} @32`,
          index.paired({ scenario, target: 'llmux' }, { scenario: chat, target: 'llmux' }, cpuRatio),
          'ratio',
          'no target',
          () => true,
        ),
      );
    }
  }
  return checks;
}

/** The line under a surface route's table heading (none for the chat routes). */
export function surfaceIntro(route: Route): string[] {
  if (!(SURFACE_ROUTES as readonly Route[]).includes(route)) return [];
  return [
    "Issue 10. Direct and the bare proxy send the client's own body (the same bytes llmux gets) to the fake upstream, " +
      'which answers it in that protocol; CPU ÷ bare divides by that bare proxy.',
    '',
  ];
}
