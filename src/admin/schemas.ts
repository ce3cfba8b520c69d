import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { badField } from './admin-errors.ts';

const closed = { additionalProperties: false } as const;
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const name = Type.String({ minLength: 1, maxLength: 200 });
const count = Type.Integer({ minimum: 1 });
const Budget = Type.Object(
  {
    usd: Type.Number({ minimum: 0 }),
    period: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('total')]),
    ),
  },
  closed,
);
/** ISO 8601 instant, or epoch ms. */
const Instant = Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })]);
const Metadata = Type.Record(Type.String(), Type.Unknown());
const Models = Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 });

export const KeyCreateBody = Type.Object(
  {
    name,
    models: Type.Optional(Models),
    team: Type.Optional(name),
    rpm: Type.Optional(count),
    tpm: Type.Optional(count),
    maxConcurrent: Type.Optional(count),
    budget: Type.Optional(Budget),
    expiresAt: Type.Optional(Instant),
    metadata: Type.Optional(Metadata),
  },
  closed,
);

/** Every field optional; null clears one. */
export const KeyPatchBody = Type.Object(
  {
    name: Type.Optional(name),
    models: Type.Optional(Models),
    team: Type.Optional(nullable(name)),
    rpm: Type.Optional(nullable(count)),
    tpm: Type.Optional(nullable(count)),
    maxConcurrent: Type.Optional(nullable(count)),
    budget: Type.Optional(nullable(Budget)),
    expiresAt: Type.Optional(nullable(Instant)),
    metadata: Type.Optional(nullable(Metadata)),
  },
  closed,
);

export const TeamCreateBody = Type.Object(
  {
    name,
    models: Type.Optional(Models),
    rpm: Type.Optional(count),
    tpm: Type.Optional(count),
    maxConcurrent: Type.Optional(count),
    budget: Type.Optional(Budget),
    metadata: Type.Optional(Metadata),
  },
  closed,
);

export const TeamPatchBody = Type.Object(
  {
    models: Type.Optional(Models),
    rpm: Type.Optional(nullable(count)),
    tpm: Type.Optional(nullable(count)),
    maxConcurrent: Type.Optional(nullable(count)),
    budget: Type.Optional(nullable(Budget)),
    metadata: Type.Optional(nullable(Metadata)),
  },
  closed,
);

export type KeyCreate = Static<typeof KeyCreateBody>;
export type KeyPatch = Static<typeof KeyPatchBody>;
export type TeamCreate = Static<typeof TeamCreateBody>;
export type TeamPatch = Static<typeof TeamPatchBody>;
export type BudgetInput = Static<typeof Budget>;

/** The body as `schema` describes it, or a 400 naming the first field in error. */
export function parseBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
    throw badField('body', 'The request body must be a JSON object.');
  if (Value.Check(schema, body)) return body as Static<T>;
  const errors = [...Value.Errors(schema, body)].filter(
    (error) => error.keyword !== 'additionalProperties' && error.keyword !== 'anyOf',
  );
  const first = errors[0];
  if (first === undefined) throw badField('body', 'The request body is not valid.');
  const path = first.instancePath.slice(1).replaceAll('/', '.');
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? '';
    const field = path === '' ? missing : `${path}.${missing}`;
    throw badField(field, `Missing required field \`${field}\`.`);
  }
  const field = path || 'body';
  if (first.keyword === 'boolean') throw badField(field, `Unknown field \`${field}\`.`);
  const messages = [...new Set(errors.filter((e) => e.instancePath === first.instancePath).map((e) => e.message))];
  throw badField(field, `Invalid \`${field}\`: ${messages.join(' or ')}.`);
}
