import type { Deployment, PublicModel, ResolvedModel } from './types.ts';

interface WildcardEntry {
  model: PublicModel;
  prefix: string;
  suffix: string;
}

/** Public model names → models. Exact names win over wildcards; longer wildcard prefixes win. */
export class ModelCatalogue {
  private readonly exact = new Map<string, PublicModel>();
  private readonly wildcards: WildcardEntry[] = [];

  constructor(models: PublicModel[]) {
    for (const model of models) {
      const star = model.name.indexOf('*');
      if (star < 0) this.exact.set(model.name, model);
      else this.wildcards.push({ model, prefix: model.name.slice(0, star), suffix: model.name.slice(star + 1) });
    }
    this.wildcards.sort((a, b) => b.prefix.length + b.suffix.length - (a.prefix.length + a.suffix.length));
  }

  resolve(name: string): ResolvedModel | undefined {
    const model = this.exact.get(name);
    if (model) return { model, wildcardMatch: undefined };
    for (const entry of this.wildcards) {
      if (
        name.length > entry.prefix.length + entry.suffix.length &&
        name.startsWith(entry.prefix) &&
        name.endsWith(entry.suffix)
      ) {
        return {
          model: entry.model,
          wildcardMatch: name.slice(entry.prefix.length, name.length - entry.suffix.length),
        };
      }
    }
    return undefined;
  }

  get(name: string): PublicModel | undefined {
    return this.exact.get(name) ?? this.wildcards.find((entry) => entry.model.name === name)?.model;
  }

  list(): PublicModel[] {
    return [...this.exact.values(), ...this.wildcards.map((entry) => entry.model)];
  }
}

/** The upstream model name a deployment serves for a resolved request. */
export function upstreamModelName(deployment: Deployment, wildcardMatch: string | undefined): string {
  if (!deployment.model.includes('*')) return deployment.model;
  return deployment.model.replace('*', wildcardMatch ?? '');
}

/** Glob match for key allow-lists: "*" matches any run of characters. */
export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === name;
  const parts = pattern.split('*');
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === 0) {
      if (!name.startsWith(part)) return false;
      at = part.length;
    } else if (i === parts.length - 1) {
      return name.length - part.length >= at && name.endsWith(part);
    } else {
      const found = name.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
  }
  return true;
}
