// A typed view of the JSON Schema keywords the config reader understands (TypeBox schemas are plain JSON Schema).

export interface SchemaView {
  type?: string;
  properties?: Record<string, object>;
  required: string[];
  /** Value schema of a `Type.Record` (its single pattern property). */
  recordValue?: object;
  items?: object;
  anyOf?: object[];
  const?: string;
  enum?: string[];
  hasDefault: boolean;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
}

const cache = new WeakMap<object, SchemaView>();

export function viewSchema(schema: object): SchemaView {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  const get = (key: string): unknown => Reflect.get(schema, key);
  const view: SchemaView = { required: stringArray(get('required')) ?? [], hasDefault: 'default' in schema };
  assign(view, 'type', stringValue(get('type')));
  assign(view, 'properties', objectRecord(get('properties')));
  const patterns = objectRecord(get('patternProperties'));
  assign(view, 'recordValue', patterns === undefined ? undefined : Object.values(patterns)[0]);
  assign(view, 'items', objectValue(get('items')));
  assign(view, 'anyOf', objectArray(get('anyOf')));
  assign(view, 'const', stringValue(get('const')));
  assign(view, 'enum', stringArray(get('enum')));
  if (view.hasDefault) view.default = get('default');
  assign(view, 'minimum', numberValue(get('minimum')));
  assign(view, 'exclusiveMinimum', numberValue(get('exclusiveMinimum')));
  assign(view, 'maximum', numberValue(get('maximum')));
  assign(view, 'minLength', numberValue(get('minLength')));
  assign(view, 'minItems', numberValue(get('minItems')));
  cache.set(schema, view);
  return view;
}

function assign<K extends keyof SchemaView>(view: SchemaView, key: K, value: SchemaView[K] | undefined): void {
  if (value !== undefined) view[key] = value;
}

const stringValue = (value: unknown) => (typeof value === 'string' ? value : undefined);
const numberValue = (value: unknown) => (typeof value === 'number' ? value : undefined);
const objectValue = (value: unknown) => (typeof value === 'object' && value !== null ? value : undefined);

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function objectArray(value: unknown): object[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const objects: object[] = [];
  for (const item of value) if (typeof item === 'object' && item !== null) objects.push(item);
  return objects;
}

function objectRecord(value: unknown): Record<string, object> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record: Record<string, object> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'object' && item !== null) record[key] = item;
  return record;
}

/** The values a schema accepts when it is an enumeration (`Type.Union` of string literals or `enum`). */
export function enumValues(view: SchemaView): string[] | undefined {
  if (view.enum !== undefined) return view.enum;
  if (view.anyOf === undefined) return undefined;
  const values = view.anyOf.map((option) => viewSchema(option).const);
  return values.every((value) => value !== undefined) ? values : undefined;
}

/** For a union of objects that all have a string-literal property of the same name, that name. */
export function discriminator(view: SchemaView): string | undefined {
  const first = view.anyOf?.[0];
  if (first === undefined) return undefined;
  const candidates = Object.keys(viewSchema(first).properties ?? {});
  return candidates.find((key) =>
    (view.anyOf ?? []).every((option) => {
      const property = viewSchema(option).properties?.[key];
      return property !== undefined && viewSchema(property).const !== undefined;
    }),
  );
}
