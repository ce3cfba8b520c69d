import { readFileSync } from 'node:fs';
import Value from 'typebox/value';
import { type Document, isScalar, LineCounter, parseDocument, type YAMLError, YAMLMap } from 'yaml';
import { crossCheck } from './cross-check.ts';
import { applyEnv, describeMissing, type Env } from './env.ts';
import { ConfigError, type ConfigIssue, formatPath, type PathSegment } from './errors.ts';
import { unquotedFlowReferences } from './flow-reference-hint.ts';
import { readNode } from './read-node.ts';
import { reportRemovedSettings } from './removed-settings.ts';
import { resolveConfig } from './resolve.ts';
import { ConfigFileSchema, type LlmuxConfig } from './schema.ts';

/** Reads, validates and resolves a YAML config file. Throws ConfigError listing every problem. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LlmuxConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ConfigError(path, [{ path: '', message: `cannot read the config file (${reason})` }]);
  }
  return parseConfig(text, env, path);
}

/** Parses YAML text as a config; `sourceName` (usually the file name) labels errors. */
export function parseConfig(text: string, env: Env = process.env, sourceName = 'config'): LlmuxConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    // The cascade of syntax errors an unquoted `${VAR}` in a flow collection causes says nothing useful.
    const flowHints = unquotedFlowReferences(text);
    if (flowHints.length > 0) throw new ConfigError(sourceName, flowHints);
    // The first errors matter; the rest is usually a cascade from them.
    const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((error) => syntaxIssue(error, lineCounter));
    const hidden = doc.errors.length - shown.length;
    if (hidden > 0) shown.push({ path: '', message: `(${hidden} more YAML syntax errors after these)` });
    throw new ConfigError(sourceName, shown);
  }

  const envIssues: Located[] = [];
  const readIssues: Located[] = [];
  const reportTo = (list: Located[]) => (path: PathSegment[], message: string) => {
    // A bad env reference is reported once; the reader's complaint about the same (unsubstituted) value is noise.
    if (list === readIssues && envIssues.some((other) => samePath(other.segments, path))) return;
    const unset = missing.find((entry) => samePath(entry.segments, path));
    const cause = unset && describeMissing(unset.names, env);
    const said =
      cause === undefined
        ? message
        : unset?.valueEmpty
          ? `empty because ${cause} (${message})`
          : `${message} (${cause})`;
    list.push({
      segments: path,
      issue: locate(doc, lineCounter, path, path.length === 0 ? `top level ${said}` : said),
    });
  };
  const missing: Array<{ segments: PathSegment[]; names: string[]; valueEmpty: boolean }> = [];
  const references = applyEnv(doc, env, reportTo(envIssues), (segments, found) => missing.push({ segments, ...found }));
  reportRemovedSettings(doc, reportTo(readIssues));
  const root = isScalar(doc.contents) && doc.contents.value === null ? null : doc.contents;
  const file = readNode(root ?? new YAMLMap(), ConfigFileSchema, [], { doc, report: reportTo(readIssues) });
  if (!Value.Check(ConfigFileSchema, file)) {
    const details = [...Value.Errors(ConfigFileSchema, file)].map((error) => `${error.instancePath} ${error.message}`);
    throw new Error(`config reader produced a value outside the schema: ${details.join('; ')}`);
  }

  const crossIssues: Located[] = [];
  crossCheck(file, reportTo(crossIssues));
  // A value already reported as invalid was replaced by a placeholder; don't report follow-on problems about it.
  const followOn = (cross: Located) => readIssues.some((read) => isPrefix(read.segments, cross.segments));
  const issues = [...envIssues, ...readIssues, ...crossIssues.filter((cross) => !followOn(cross))];
  if (issues.length > 0) {
    const byLine = issues.map((located) => located.issue).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new ConfigError(sourceName, byLine);
  }

  return resolveConfig(file, sourceName, (provider) => {
    const node = doc.getIn(['providers', provider, 'apiKey'], true);
    return isScalar(node) ? references.get(node) : undefined;
  });
}

interface Located {
  segments: PathSegment[];
  issue: ConfigIssue;
}

function samePath(a: PathSegment[], b: PathSegment[]): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

function isPrefix(prefix: PathSegment[], path: PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

const MAX_SYNTAX_ERRORS = 3;

function syntaxIssue(error: YAMLError, lineCounter: LineCounter): ConfigIssue {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  // Drop the quoted source text some messages end with (`...in YAML stream: "sk-..."`): it may be a secret.
  const message = error.message.replace(/:\s*".*$/s, '');
  return { path: '', message: `YAML syntax error: ${message}`, line, column: col };
}

/** Attaches the position of the deepest node that exists along `path`. */
function locate(doc: Document, lineCounter: LineCounter, path: PathSegment[], message: string): ConfigIssue {
  const issue: ConfigIssue = { path: formatPath(path), message };
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    const range = typeof node === 'object' && node !== null && 'range' in node ? node.range : undefined;
    if (Array.isArray(range) && typeof range[0] === 'number') {
      const { line, col } = lineCounter.linePos(range[0]);
      issue.line = line;
      issue.column = col;
      break;
    }
  }
  return issue;
}
