/**
 * Docs and stability of resolved items: comment text normalised as wit-parser's `docs()` does
 * (block comment delimiters and leading slashes removed, trailing blanks trimmed, common
 * indentation removed), and the `@since`/`@unstable`/`@deprecated` attributes checked against
 * the package version and the enabled features (`include_stability`).
 */
import { resolveError, type Span } from '../diagnostics.js';
import type { Docs, PackageName, Stability } from '../model.js';
import type { AstDocs, Attribute } from '../text/ast.js';

export function resolveDocs(docs: AstDocs): Docs {
  if (docs.comments.length === 0) return {};
  const lines: string[] = [];
  for (const comment of docs.comments) {
    const body =
      comment.startsWith('/**') && comment.endsWith('*/') && comment.length >= 5
        ? comment.slice(3, -2)
        : comment.replace(/^\/+/, '');
    for (const line of body.split('\n')) lines.push(line.trimEnd());
  }
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  const text = lines
    .map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length)))
    .join('\n')
    .replace(/\n+$/, '');
  return { contents: text };
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
