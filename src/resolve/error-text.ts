/**
 * The resolver's errors as data: each variant's details, and the one place their message and hint
 * are written. Pure.
 */
import { errorMaker, errorVariant, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';

/** Who wrote a requirement (`RequirementOrigin.kind` of graph-types.ts). */
export type OriginKind = 'manifest' | 'wit' | 'override' | 'package' | 'command-line';

/** One of two sources a package is required from: a path or a registry requirement. */
export interface ConflictSource {
  path?: string | undefined;
  requirement?: string | undefined;
  /** Who wrote it (`wit.toml`, `wkg.toml`, ...). */
  requiredBy: string;
}

const sourceText = (s: ConflictSource): string =>
  s.path === undefined
    ? `\`${s.requirement ?? '*'}\` (${s.requiredBy})`
    : `path \`${s.path}\` (${s.requiredBy})`;

const table = {
  'invalid-package-name': errorVariant('ERR_INVALID_PACKAGE_NAME', (d: { name: string }) => ({
    message: `package name \`${d.name}\` is invalid`,
    hint: 'write `namespace:name` with kebab-case WIT identifiers, e.g. `wasi:http`',
  })),
  'invalid-deps-folder': errorVariant(
    'ERR_INVALID_PACKAGE_NAME',
    (d: { name: string; version: string | undefined }) => ({
      message: `\`${d.name}@${String(d.version).slice(0, 80)}\` cannot name a wit/deps folder`,
      hint: 'fix the version in wkg.lock or wit.toml (a SemVer version such as `0.2.0`), or delete wkg.lock and run `wit-deps install`',
    }),
  ),
  'invalid-requirement': errorVariant(
    'ERR_INVALID_REQUIREMENT',
    (d: { requirement: string; reason: string }) => ({
      message: `requirement \`${d.requirement}\` is invalid: ${d.reason}`,
      hint: 'use Cargo-style requirements such as `1.2.3`, `^0.2`, `~1.4.0`, `=0.2.0` or `>=1.0, <2`',
    }),
  ),
  'source-conflict': errorVariant(
    'ERR_RESOLVE_CONFLICT',
    (d: { package: string; sources: [ConflictSource, ConflictSource] }) => ({
      message: `package \`${d.package}\` is required both as ${sourceText(d.sources[0])} and as ${sourceText(d.sources[1])}`,
      hint: 'keep one source for the package: a path in `wkg.toml [overrides]` replaces the registry everywhere',
    }),
  ),
  cycle: errorVariant('ERR_RESOLVE_CYCLE', (d: { cycle: string[] }) => ({
    message: `packages depend on each other in a cycle: ${d.cycle.map((c) => `\`${c}\``).join(' -> ')}`,
    hint: 'remove one of the back references (republish the package, or edit the path dependency)',
  })),
  'no-match': errorVariant('ERR_RESOLVE_NO_MATCH', (d: NoMatchDetails) => noMatchText(d)),
};

/** Nothing published satisfies a requirement; `origin` says who wrote it. */
export interface NoMatchDetails {
  package: string;
  requirement: string;
  /** The origin's label: `wit.toml`, `the command line`, `wasi:http@0.2.0`, ... */
  requiredBy: string;
  origin: OriginKind;
  available: string[];
}

function noMatchText(d: NoMatchDetails): { message: string; hint: string } {
  const shown = d.available.slice(0, 12).join(', ');
  const list = d.available.length === 0 ? 'no versions are published' : `versions: ${shown}`;
  const hint =
    d.origin === 'command-line'
      ? `wit.toml was left as it was; run \`wit-deps add ${d.package}\` for the latest version, or \`wit-deps add ${d.package}@<range>\` with a range one of these versions satisfies`
      : 'change the requirement in wit.toml (`wit-deps add <pkg>@<range>`), or run `wit-deps outdated` to see what exists';
  return {
    message: `no version of \`${d.package}\` satisfies \`${d.requirement}\` (required by ${d.requiredBy}); ${list}`,
    hint,
  };
}

export type ResolveVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends ResolveVariants {}
}

/** Raises a resolver error: `resolveError('no-match', { package, ... })`. */
export const resolveError = errorMaker(table);
