/**
 * Registry authentication, the way distribution's token spec (`docs/spec/auth/token.md`) and
 * real registries do it:
 *
 * 1. Requests first go out with what is already known for the registry: the Basic header, a
 *    static bearer token, or a cached token for the request's scopes.
 * 2. On 401 the `WWW-Authenticate` challenges are parsed and remembered. `Basic` → resend with
 *    the credential. `Bearer realm,service,scope` → fetch a token: `GET realm?service=&scope=...`
 *    (Basic credentials attached when there are any, anonymous otherwise), or for an identity
 *    token the OAuth2 `POST realm` with `grant_type=refresh_token`. Take `token`, else
 *    `access_token`; `expires_in` defaults to 60 s.
 * 3. Tokens are cached per (registry, sorted scope set) until shortly before they expire.
 * The caller retries once with the fresh header; a second 401 is final.
 */
import { ociError } from '../error-text.js';
import { responseError, responseFacts, networkError } from '../http/errors.js';
import { readCapped, type HttpResponse, type HttpRequest } from '../http/transport.js';
import { mergeScopes, parseChallenges, splitScopes, type Challenge } from './challenge.js';
import { basicHeader, type Credential, type CredentialProvider } from './credential.js';

/** Seconds before expiry at which a cached token is no longer used. */
const EXPIRY_MARGIN_MS = 10_000;
const DEFAULT_TOKEN_TTL_S = 60;
const TOKEN_BODY_CAP = 64 * 1024;

interface CachedToken {
  header: string;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  credentials: CredentialProvider;
  /** Sends a request (with retries); used for the token realm. */
  send: (req: HttpRequest) => Promise<HttpResponse>;
  now?: () => number;
  /** Throws when a token realm must not be used (an https registry naming an http realm). */
  checkRealm?: (realm: URL) => void;
}

/** Per-client auth state: remembered challenges, credentials and cached tokens. */
export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, CachedToken>();
  readonly #credentials = new Map<string, Promise<Credential | undefined>>();
  readonly #now: () => number;
  /** Token requests made (for tests and benchmarks). */
  tokenRequests = 0;

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  #credential(registry: string): Promise<Credential | undefined> {
    let found = this.#credentials.get(registry);
    if (found === undefined) {
      found = this.#options.credentials(registry);
      this.#credentials.set(registry, found);
    }
    return found;
  }

  /** True when the user has a credential for `registry` (a 401 then means it was refused). */
  async hasCredential(registry: string): Promise<boolean> {
    return (await this.#credential(registry)) !== undefined;
  }

  /** Where the credential for `registry` came from, when there is one and it says. */
  async credentialSource(registry: string): Promise<string | undefined> {
    return (await this.#credential(registry))?.source;
  }

  /** The `Authorization` value to send up front, from what is known already; undefined for none. */
  async authorization(registry: string, scopes: readonly string[]): Promise<string | undefined> {
    const credential = await this.#credential(registry);
    if (credential?.kind === 'bearer') return `Bearer ${credential.token}`;
    const challenge = this.#challenges.get(registry);
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') {
      return credential?.kind === 'basic'
        ? basicHeader(credential.username, credential.password)
        : undefined;
    }
    if (challenge.scheme !== 'bearer') return undefined;
    const cached = this.#tokens.get(this.#key(registry, mergeScopes(scopes)));
    if (cached !== undefined && cached.expiresAt - EXPIRY_MARGIN_MS > this.#now())
      return cached.header;
    return this.#fetchToken(registry, challenge, mergeScopes(scopes));
  }

  /**
   * Handles a 401: remembers the challenge and returns a fresh header to retry with, or
   * undefined when nothing new can be tried (no usable challenge, or no credential for Basic).
   */
  async onUnauthorized(
    registry: string,
    scopes: readonly string[],
    res: HttpResponse,
  ): Promise<string | undefined> {
    const values = res.headers['www-authenticate'];
    const challenges = parseChallenges(
      values === undefined ? [] : Array.isArray(values) ? values : [values],
    );
    const challenge =
      challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (challenge === undefined) return undefined;
    this.#challenges.set(registry, challenge);
    const credential = await this.#credential(registry);
    if (challenge.scheme === 'basic') {
      return credential?.kind === 'basic'
        ? basicHeader(credential.username, credential.password)
        : undefined;
    }
    if (credential?.kind === 'bearer') return undefined; // the static token was refused: final
    const wanted = mergeScopes(scopes, splitScopes(challenge.params['scope']));
    this.#tokens.delete(this.#key(registry, wanted));
    return this.#fetchToken(registry, challenge, wanted);
  }

  #key(registry: string, scopes: readonly string[]): string {
    return `${registry}\n${scopes.join(' ')}`;
  }

  async #fetchToken(registry: string, challenge: Challenge, scopes: string[]): Promise<string> {
    const realm = challenge.params['realm'];
    if (realm === undefined || !/^https?:\/\//.test(realm)) {
      throw ociError('bearer-no-realm', { registry });
    }
    this.#options.checkRealm?.(new URL(realm));
    const credential = await this.#credential(registry);
    const res = await this.#requestToken(
      new URL(realm),
      challenge.params['service'],
      scopes,
      credential,
    );
    const header = await this.#readToken(res, registry, scopes);
    return header;
  }

  async #requestToken(
    realm: URL,
    service: string | undefined,
    scopes: readonly string[],
    credential: Credential | undefined,
  ): Promise<HttpResponse> {
    this.tokenRequests++;
    const send = this.#options.send;
    try {
      if (credential?.kind === 'identity') {
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credential.token,
          client_id: 'wit-deps',
        });
        if (service !== undefined) form.set('service', service);
        if (scopes.length > 0) form.set('scope', scopes.join(' '));
        const res = await send({
          method: 'POST',
          url: realm,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new TextEncoder().encode(form.toString()),
        });
        if (res.status !== 404 && res.status !== 405) return res;
      }
      const url = new URL(realm);
      if (service !== undefined) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (credential?.kind === 'basic') {
        headers['authorization'] = basicHeader(credential.username, credential.password);
        url.searchParams.set('account', credential.username);
      }
      const res = await send({ method: 'GET', url, headers });
      if (headers['authorization'] !== undefined) {
        res.authorized = true;
        if (credential?.source !== undefined) res.credentialSource = credential.source;
      }
      return res;
    } catch (error) {
      throw networkError(error, realm, 'token request');
    }
  }

  async #readToken(res: HttpResponse, registry: string, scopes: string[]): Promise<string> {
    if (res.status !== 200) {
      const what = `token request for \`${registry}\``;
      if (res.status !== 401 && res.status !== 403) throw await responseError(res, what);
      throw ociError('token-refused', await responseFacts(res, what));
    }
    const { bytes } = await readCapped(res.body, TOKEN_BODY_CAP);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw ociError('token-response-invalid', { registry, problem: 'is not a JSON object' });
    }
    const doc = parsed as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
      issued_at?: unknown;
    };
    const token = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token;
    if (typeof token !== 'string' || token === '') {
      throw ociError('token-response-invalid', { registry, problem: 'has no `token`' });
    }
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw ociError('token-response-invalid', {
        registry,
        problem: 'has a token with characters a header cannot carry',
      });
    }
    const ttl =
      typeof doc.expires_in === 'number' && doc.expires_in > 0
        ? doc.expires_in
        : DEFAULT_TOKEN_TTL_S;
    const issued = typeof doc.issued_at === 'string' ? Date.parse(doc.issued_at) : NaN;
    const start = Number.isNaN(issued) ? this.#now() : Math.min(issued, this.#now());
    const header = `Bearer ${token}`;
    this.#tokens.set(this.#key(registry, scopes), { header, expiresAt: start + ttl * 1000 });
    return header;
  }
}
