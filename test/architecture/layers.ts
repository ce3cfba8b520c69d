/**
 * The layer rules of DESIGN.md §3 / docs/architecture.md as a table, and the functions that check
 * one import against it. A file's layer is its top folder under src/; provider and surface folders
 * are layers of their own, apart from the interface files at the root of providers/ and surfaces/.
 */

export type Layer =
  | 'app'
  | 'admin'
  | 'cli'
  | 'config'
  | 'core'
  | 'gateway'
  | 'lib'
  | 'observability'
  | 'policy'
  | 'protocols'
  | 'providers'
  | 'provider-folder'
  | 'routing'
  | 'server'
  | 'store'
  | 'surfaces'
  | 'surface-folder'
  | 'upstream';

/** What each layer may import besides itself. Packages and node: built-ins are not checked. */
export const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  core: [],
  lib: [],
  protocols: ['core'],
  upstream: ['core', 'lib'],
  // providers/registry.ts lists the provider folders.
  providers: ['core', 'lib', 'protocols', 'upstream', 'provider-folder'],
  // Plus its own folder and openai-compatible (see isAllowed).
  'provider-folder': ['core', 'lib', 'protocols', 'upstream', 'providers'],
  surfaces: ['core', 'lib', 'protocols'],
  // Plus its own folder (see isAllowed).
  'surface-folder': ['core', 'lib', 'protocols', 'surfaces'],
  // DESIGN says routing → core; deployments also carry the capability and timeout interfaces that
  // providers/types.ts and upstream/types.ts declare.
  routing: ['core', 'lib', 'providers', 'upstream'],
  // Key model allow-lists reuse the catalogue's pattern matching.
  policy: ['core', 'lib', 'routing', 'store'],
  store: ['core', 'lib'],
  config: ['core', 'lib'],
  observability: ['core', 'lib'],
  // Sees surfaces, routing, policy and providers only through their interfaces (root files).
  gateway: [
    'core',
    'lib',
    'protocols',
    'upstream',
    'providers',
    'surfaces',
    'routing',
    'policy',
    'store',
    'observability',
  ],
  // Registers one route per surface, so it may name surface folders; never provider folders.
  server: [
    'core',
    'lib',
    'protocols',
    'gateway',
    'surfaces',
    'surface-folder',
    'routing',
    'policy',
    'store',
    'observability',
    'config',
  ],
  admin: ['core', 'lib', 'config', 'policy', 'routing', 'store', 'observability'],
  cli: ['app', 'config', 'server', 'core', 'lib'],
  // The composition root picks the concrete pieces.
  app: [
    'admin',
    'config',
    'core',
    'gateway',
    'lib',
    'observability',
    'policy',
    'protocols',
    'providers',
    'provider-folder',
    'routing',
    'server',
    'store',
    'surfaces',
    'surface-folder',
    'upstream',
  ],
};

/** The provider folder every other provider folder may build on. */
const SHARED_PROVIDER_FOLDER = 'openai-compatible';

export interface Place {
  layer: Layer;
  /** The provider or surface folder name, for the folder layers. */
  folder?: string;
}

function isLayer(name: string): name is Layer {
  return Object.hasOwn(MAY_IMPORT, name);
}

/** The layer of a '/'-separated path relative to src/, or undefined when it is in no known layer. */
export function placeOf(pathInSrc: string): Place | undefined {
  const segments = pathInSrc.split('/');
  const [top, second] = segments;
  if (segments.length === 1) return top === 'app.ts' ? { layer: 'app' } : undefined;
  if (top === undefined || second === undefined) return undefined;
  if ((top === 'providers' || top === 'surfaces') && segments.length > 2) {
    return { layer: top === 'providers' ? 'provider-folder' : 'surface-folder', folder: second };
  }
  return isLayer(top) ? { layer: top } : undefined;
}

/** Why importing `to` from `from` breaks a rule, or undefined when it is allowed. */
export function violation(from: Place, to: Place): string | undefined {
  if (from.layer === to.layer) {
    if (from.folder === to.folder) return undefined;
    if (from.layer === 'provider-folder' && to.folder === SHARED_PROVIDER_FOLDER) return undefined;
    return `${from.layer === 'provider-folder' ? 'provider' : 'surface'} folders never import each other`;
  }
  if (MAY_IMPORT[from.layer].includes(to.layer)) return undefined;
  return `${from.layer} may import only ${MAY_IMPORT[from.layer].join(', ') || 'nothing of ours'}`;
}

/**
 * The module specifiers a source file imports: static imports, `import '…'`, `export … from` and
 * dynamic `import('…')`. Comment lines are skipped so that a path quoted in a doc comment does not count.
 */
export function importSpecifiers(source: string): string[] {
  const code = source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join('\n');
  const specifiers: string[] = [];
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g)) {
    const specifier = match[2];
    if (specifier !== undefined) specifiers.push(specifier);
  }
  return specifiers;
}
