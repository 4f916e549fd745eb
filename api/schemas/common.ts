/** TypeBox schemas shared by the routes. */
import { Type, type TSchema } from '@sinclair/typebox';

/** Body of every error response. */
export const ErrorBody = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) },
  { $id: 'ErrorBody' },
);

/** `T | null`. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A free-form filter string: any text (it is bound as data), bounded in length. */
export const FilterString = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

/** ms since epoch. */
export const EpochMs = (description: string) => Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description });

/** `limit` query parameter. */
export const Limit = (max: number, dflt: number) => Type.Integer({ minimum: 1, maximum: max, default: dflt });

/** A pool name in bodies (kept printable; filters accept any text). */
export const PoolName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f]+$', description: 'pool name' });

/** A module combination: `module@version` strings, base first. */
export const Combination = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 64 });

/** Standard error responses of authenticated routes (documented in the OpenAPI document). */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  413: ErrorBody,
  429: ErrorBody,
  503: ErrorBody,
} as const;
