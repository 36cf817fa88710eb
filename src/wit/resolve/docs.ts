/**
 * Docs and stability of resolved items: comment text turned into docs as wit-parser's `docs()`
 * (`ast/resolve.rs`) does, and the `@since`/`@unstable`/`@deprecated` attributes checked against
 * the package version and the enabled features (`include_stability`).
 */
import { resolveError, type Span } from '../diagnostics.js';
import type { Docs, PackageName, Stability } from '../model.js';
import type { AstDocs, Attribute } from '../text/ast.js';

/**
 * The docs text of the comments before an item, as wit-parser builds it:
 * 1. each comment loses its delimiters: `/**` and `*\/` for a doc block, the leading slashes
 *    otherwise (so a plain `/* x *\/` keeps `* x *\/`); inner `*` and indentation of continuation
 *    lines are kept as written;
 * 2. each comment loses its trailing whitespace (Unicode `White_Space`, as Rust's `trim_end`);
 * 3. the smallest run of leading ASCII whitespace over the non-empty comments is counted, and that
 *    many spaces are cut from the start of each comment that starts with them. Only the start of a
 *    whole comment is cut, never the start of a continuation line;
 * 4. the comments are joined line by line (`\r\n` read as a line break), an empty comment being an
 *    empty line, and trailing newlines are dropped.
 */
export function resolveDocs(docs: AstDocs): Docs {
  if (docs.comments.length === 0) return {};
  const bodies = docs.comments.map((c) => trimEndWhiteSpace(commentBody(c)));
  let cut = Infinity;
  for (const body of bodies) if (body !== '') cut = Math.min(cut, leadingAsciiSpace(body));
  const prefix = cut === Infinity ? '' : ' '.repeat(cut);
  let contents = '';
  for (const raw of bodies) {
    const body = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    if (body === '') contents += '\n';
    else for (const line of body.split('\n')) contents += `${stripCr(line)}\n`;
  }
  let end = contents.length;
  while (end > 0 && contents[end - 1] === '\n') end--;
  return { contents: contents.slice(0, end) };
}

/**
 * A comment without its delimiters. `/**\/` has no body (wit-parser panics on it: after `/**`
 * no `*\/` is left to strip).
 */
function commentBody(comment: string): string {
  if (comment.startsWith('/**')) return comment.length < 5 ? '' : comment.slice(3, -2);
  let i = 0;
  while (comment[i] === '/') i++;
  return comment.slice(i);
}

/** Rust's `char::is_whitespace` (the Unicode `White_Space` property). */
const WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/** Rust's `str::trim_end`, scanning back char by char (no regex backtracking on long runs). */
function trimEndWhiteSpace(text: string): string {
  let end = text.length;
  while (end > 0 && WHITE_SPACE.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Leading bytes that are ASCII whitespace as Rust's `u8::is_ascii_whitespace` (no `\v`). */
function leadingAsciiSpace(text: string): number {
  let n = 0;
  while (n < text.length && ' \t\n\f\r'.includes(text[n]!)) n++;
  return n;
}

/** One line of Rust's `str::lines`: a `\r` right before the line break is dropped. */
function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * The stability an item's attributes declare (wit-parser's `stability`), with `@since` checked
 * against the package version (when `pkg` is given); version errors point at `span`, the item's
 * name.
 */
export function resolveStability(
  attrs: Attribute[],
  pkg: PackageName | undefined,
  span: Span,
): Stability {
  const once = new Map<string, Attribute>();
  for (const attr of attrs) {
    if (attr.kind === 'external-id') continue;
    if (once.has(attr.kind)) resolveError(`cannot specify @${attr.kind} twice`, attr.span);
    once.set(attr.kind, attr);
  }
  const since = once.get('since') as Extract<Attribute, { kind: 'since' }> | undefined;
  const unstable = once.get('unstable') as Extract<Attribute, { kind: 'unstable' }> | undefined;
  const deprecated = once.get('deprecated') as
    Extract<Attribute, { kind: 'deprecated' }> | undefined;
  const dep = deprecated === undefined ? {} : { deprecated: deprecated.version };
  if (since !== undefined && unstable !== undefined)
    resolveError('cannot specify both @since and @unstable', since.span);
  if (since !== undefined) {
    if (pkg !== undefined) checkSince(since.version, span, pkg);
    return { kind: 'stable', since: since.version, ...dep };
  }
  if (unstable !== undefined) return { kind: 'unstable', feature: unstable.feature, ...dep };
  if (deprecated !== undefined)
    resolveError('cannot specify both @deprecated without @since or @unstable', deprecated.span);
  return { kind: 'unknown' };
}

function checkSince(version: string, span: Span, pkg: PackageName): void {
  const name = `${pkg.namespace}:${pkg.name}`;
  if (pkg.version === undefined) {
    resolveError(
      `package [${name}] contains a feature gate with a version specifier, so it must have a version`,
      span,
    );
  }
  if (compareSemver(version, pkg.version) > 0) {
    resolveError(
      `feature gate cannot reference unreleased version ${version} of package [${name}@${pkg.version}] (current version ${pkg.version})`,
      span,
    );
  }
}

/** Semver precedence: -1, 0 or 1. */
export function compareSemver(a: string, b: string): number {
  const split = (v: string): [number[], string[]] => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return [core.split('.').map(Number), pre === undefined || pre === '' ? [] : pre.split('.')];
  };
  const [ac, ap] = split(a);
  const [bc, bp] = split(b);
  for (let i = 0; i < 3; i++) if (ac[i] !== bc[i]) return ac[i]! < bc[i]! ? -1 : 1;
  if (ap.length === 0 || bp.length === 0)
    return ap.length === bp.length ? 0 : ap.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether an item with `stability` is kept under the enabled features. */
export function includeStability(
  stability: Stability,
  features: ReadonlySet<string>,
  all: boolean,
): boolean {
  return stability.kind !== 'unstable' || all || features.has(stability.feature);
}

/** The `@external-id("...")` of an item, as an object to spread into the model item. */
export function externalIdOf(attrs: Attribute[]): { externalId?: string } {
  const ids = attrs.filter((a) => a.kind === 'external-id');
  if (ids.length > 1) resolveError('cannot specify @external-id twice', ids[1]!.span);
  return ids.length === 0 ? {} : { externalId: ids[0]!.value };
}
