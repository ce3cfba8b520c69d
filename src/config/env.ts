import { type Document, isPair, isScalar, isSeq, type Scalar, visit } from 'yaml';
import type { PathSegment } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export type SubstitutionResult =
  | {
      ok: true;
      value: string /** Set when the whole text is one `${VAR}` / `${VAR:-default}` reference. */;
      variable?: string;
    }
  | { ok: false; message: string };

// `$${` (escape) or a `${...}` reference; anything else after `${` is reported.
const TOKEN = /\$\$\{|\$\{([^}]*)\}?/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}$/;

/**
 * Expands `${VAR}` (unset → ''), `${VAR:-default}` (unset or empty → default) and `$${` (→ literal `${`)
 * in one string. The result is plain text: it is never parsed again, so it cannot add YAML structure.
 */
export function substituteEnv(text: string, env: Env): SubstitutionResult {
  if (!text.includes('${')) return { ok: true, value: text };
  let problem: string | undefined;
  const value = text.replace(TOKEN, (token: string, body: string | undefined) => {
    if (token === '$${') return '${';
    if (!token.endsWith('}')) {
      problem ??= `unterminated "\${" (write "$\${" for a literal "\${")`;
      return '';
    }
    const match = REFERENCE.exec(body ?? '');
    if (match === null) {
      problem ??= `invalid reference "${token}": expected \${NAME} or \${NAME:-default} (write "$\${" for a literal "\${")`;
      return '';
    }
    const current = env[match[1] ?? ''];
    const fallback = match[2];
    if (fallback !== undefined && (current === undefined || current === '')) return fallback;
    return current ?? '';
  });
  if (problem !== undefined) return { ok: false, message: problem };
  const whole = WHOLE_REFERENCE.exec(text);
  return whole?.[1] === undefined ? { ok: true, value } : { ok: true, value, variable: whole[1] };
}

/** Which env variable a scalar came from, when its whole value was a single reference. */
export type EnvReferences = WeakMap<Scalar, string>;

/**
 * Substitutes env references in every string scalar VALUE of the document, in place (map keys are left alone).
 * Problems are reported through `report` with the scalar's path.
 */
export function applyEnv(
  doc: Document,
  env: Env,
  report: (path: PathSegment[], message: string) => void,
  onMissing?: (path: PathSegment[], missing: MissingVariables) => void,
): EnvReferences {
  const references: EnvReferences = new WeakMap();
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const result = substituteEnv(node.value, env);
      if (!result.ok) {
        report(pathOf(ancestors, node), result.message);
        return;
      }
      const original = node.value;
      node.value = result.value;
      if (result.variable !== undefined) references.set(node, result.variable);
      if (onMissing) {
        const missing = missingVariables(original, env);
        if (missing.length > 0) onMissing(pathOf(ancestors, node), { names: missing, valueEmpty: result.value === '' });
      }
    },
  });
  return references;
}

/** Variables a value referred to without a default that are unset or empty, for error messages. */
export interface MissingVariables {
  names: string[];
  /** The whole value came out empty. */
  valueEmpty: boolean;
}

function missingVariables(text: string, env: Env): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const reference = REFERENCE.exec(match[1] ?? '');
    const name = reference?.[1];
    if (name === undefined || reference?.[2] !== undefined) continue;
    if ((env[name] ?? '') === '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/** "LLMUX_KEY is unset", "A and B are unset" (an empty variable counts as unset here). */
export function describeMissing(names: readonly string[], env: Env): string {
  const state = (name: string) => (env[name] === undefined ? 'unset' : 'set but empty');
  if (names.length === 1) return `${names[0]} is ${state(names[0] ?? '')}`;
  return `${names.join(', ')} are unset or empty`;
}

function pathOf(ancestors: readonly unknown[], node: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  ancestors.forEach((ancestor, index) => {
    const child = ancestors[index + 1] ?? node;
    if (isSeq(ancestor)) path.push(ancestor.items.indexOf(child));
    else if (isPair(ancestor)) path.push(isScalar(ancestor.key) ? String(ancestor.key.value) : String(ancestor.key));
  });
  return path;
}
