/**
 * What the consistency checks (`checks.ts`) use of a decode's state: the resolve being built, the
 * wasm → WIT type map, the limits and the error. `DecodeState` (`types.ts`) implements it; the
 * checks depend on this view, not on the class that calls them.
 */
import type { DecodeLimits } from '../binary/reader.js';
import type { Resolve, TypeId } from '../model.js';
import type { WType } from './wasm-types.js';

export interface CheckState {
  readonly resolve: Resolve;
  readonly typeMap: Map<WType, TypeId>;
  readonly limits: DecodeLimits;
  /** Throws `ERR_WIT_DECODE` with `message` at the current byte offset. */
  fail(message: string): never;
}
