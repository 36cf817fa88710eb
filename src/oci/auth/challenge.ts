/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1 / RFC 7235): a list of challenges, each a scheme
 * followed by comma-separated `key=value` parameters whose values may be quoted strings with
 * backslash escapes. Several challenges may share one header (`Basic realm="a", Bearer realm="b"`);
 * a new challenge starts where a bare token is followed by a space instead of `=`.
 *
 * Also: registry scopes (`repository:<name>:<actions>`, where the name may hold `:`), per the
 * distribution token spec (`docs/spec/auth/scope.md`).
 */

export interface Challenge {
  /** Lower-case scheme: `basic`, `bearer`, ... */
  scheme: string;
  /** Parameters with lower-case names. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

function skipSpaceAndCommas(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
  return i;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    value += text[i];
    i++;
  }
  return { value, end: i + 1 };
}

/** Reads `key=value` pairs from `i` until the next challenge or the end. */
function readParams(text: string, start: number): { params: Record<string, string>; end: number } {
  const params: Record<string, string> = {};
  let i = start;
  for (;;) {
    i = skipSpaceAndCommas(text, i);
    const key = TOKEN.exec(text.slice(i))?.[0];
    if (key === undefined) return { params, end: i };
    let j = i + key.length;
    while (text[j] === ' ') j++;
    if (text[j] !== '=') return { params, end: i }; // a bare token: the next challenge's scheme
    j++;
    while (text[j] === ' ') j++;
    if (text[j] === '"') {
      const quoted = readQuoted(text, j);
      params[key.toLowerCase()] = quoted.value;
      i = quoted.end;
    } else {
      const value = /^[^,\s]*/.exec(text.slice(j))?.[0] ?? '';
      params[key.toLowerCase()] = value;
      i = j + value.length;
    }
  }
}

/** Parses every challenge in one or more `WWW-Authenticate` values. Unparseable text is skipped. */
export function parseChallenges(values: string | readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const text of typeof values === 'string' ? [values] : values) {
    let i = 0;
    while (i < text.length) {
      i = skipSpaceAndCommas(text, i);
      const scheme = TOKEN.exec(text.slice(i))?.[0];
      if (scheme === undefined) break;
      i += scheme.length;
      const { params, end } = readParams(text, i);
      out.push({ scheme: scheme.toLowerCase(), params });
      if (end === i && end < text.length && text[end] !== ' ' && text[end] !== ',') break;
      i = end;
    }
  }
  return out;
}

/** A parsed resource scope. */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `type:name:actions`; the name may contain `:` (a `host:port`), so split at the first and last `:`. */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  return {
    type: text.slice(0, first),
    name: text.slice(first + 1, last),
    actions: text
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

/** `repository:<name>:<actions>`. */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/** Splits a challenge `scope` parameter (space-separated) into scopes. */
export function splitScopes(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(' ').filter(Boolean);
}

/**
 * Merges scope lists: one entry per `type:name`, with the union of actions, sorted so the
 * result is a stable cache key.
 */
export function mergeScopes(...lists: readonly (readonly string[])[]): string[] {
  const byResource = new Map<string, { scope: Scope; actions: Set<string> }>();
  for (const text of lists.flat()) {
    const scope = parseScope(text);
    if (scope === undefined) continue;
    const key = `${scope.type}:${scope.name}`;
    const entry = byResource.get(key) ?? { scope, actions: new Set<string>() };
    for (const a of scope.actions) entry.actions.add(a);
    byResource.set(key, entry);
  }
  return [...byResource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { actions }]) => `${key}:${[...actions].sort().join(',')}`);
}
