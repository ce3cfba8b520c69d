import type { ConfigIssue } from './errors.ts';

/**
 * Finds `${VAR}` references written unquoted inside a flow collection (`{ key: ${VAR} }`), where YAML
 * reads `{` as the start of a nested mapping and reports a cascade of unhelpful syntax errors.
 * Consulted only when the YAML did not parse.
 */
export function unquotedFlowReferences(text: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/\$\{([^}\s]*)\}?/g)) {
      const before = line.slice(0, match.index);
      if (before.includes('#') || !/[:,[{]\s*$/.test(before) || insideQuotes(before)) continue;
      const structure = before.replace(/\$\{[^}]*\}/g, '');
      const opened = (structure.match(/[{[]/g) ?? []).length - (structure.match(/[}\]]/g) ?? []).length;
      if (opened <= 0) continue;
      // Only the name: a default value may be a secret.
      const name = /^[A-Za-z0-9_]*/.exec(match[1] ?? '')?.[0] ?? '';
      const reference = `\${${name}${match[1]?.includes(':-') ? ':-…' : ''}}`;
      issues.push({
        path: '',
        message: `unquoted ${reference} inside { … } or [ … ]: YAML reads its "{" as a nested mapping; quote it: "${reference}"`,
        line: index + 1,
        column: (match.index ?? 0) + 1,
      });
    }
  });
  return issues;
}

function insideQuotes(before: string): boolean {
  return (before.match(/"/g) ?? []).length % 2 === 1 || (before.match(/'/g) ?? []).length % 2 === 1;
}
