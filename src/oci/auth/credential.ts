/**
 * What the client needs from credentials: a function from registry host to a credential. The
 * client never reads files or runs helpers itself; `registry/credentials.ts` provides one.
 */

/**
 * A credential for one registry. Never printed, never written; only its `source` is: where it
 * was found, for the hint when a registry refuses it (`` `WIT_DEPS_REGISTRY_GHCR_IO_TOKEN` ``).
 */
export type Credential = (
  | { kind: 'basic'; username: string; password: string }
  /** A ready bearer token, sent as is (`WKG_REGISTRY_<HOST>_AUTH_BEARER`). */
  | { kind: 'bearer'; token: string }
  /** An OAuth2 refresh (identity) token, exchanged at the token realm. */
  | { kind: 'identity'; token: string }
) & { source?: string };

/** Looks up the credential for `registry` (`host[:port]`); undefined when there is none. */
export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

/** A provider that never has credentials. */
export const NO_CREDENTIALS: CredentialProvider = () => Promise.resolve(undefined);

/** `Basic base64(user:pass)`. */
export function basicHeader(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
