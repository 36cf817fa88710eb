/**
 * A reference to a type that a feature gate drops: the error a lookup throws when it finds one
 * ({@link GatedReference}) and where it is reported ({@link gatedAt}, the item holding the
 * reference). The lookups (`context.ts`) throw it, the item resolvers catch it; the gates
 * themselves are in `gates.ts`.
 */
import { resolveError, WitSpanError, type Span } from '../diagnostics.js';
import type { Stability } from '../model.js';

export const GATED_TYPE =
  'found a reference to a type which is excluded due to its feature not being activated';

/**
 * Thrown by a lookup that finds a gated type; {@link gatedAt} gives it the holder's place (without
 * one it is still a resolve error).
 */
export class GatedReference extends WitSpanError {
  constructor(readonly stability: Stability) {
    super(GATED_TYPE, undefined, 'resolve');
    this.name = 'GatedReference';
  }
}

/** Runs `fn`; a reference to a gated type within it is reported at `span`. */
export function gatedAt<T>(span: Span, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GatedReference) resolveError(GATED_TYPE, span);
    throw err;
  }
}
