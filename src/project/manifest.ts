/**
 * `wit.toml`, the project manifest (DESIGN.md, "Files in a user's project"): parse and validate.
 *
 * TOML syntax errors become `ERR_MANIFEST_PARSE` with the line, column and a snippet
 * (`toml-text.ts`).
 * Semantic errors (unknown keys, invalid package names, invalid requirements, bad registry
 * mappings) become `ERR_MANIFEST_INVALID` naming the key path (`dependencies."wasi:http".version`)
 * and, when it can be found, the line. Pure: no `node:*`.
 */
import { isWitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { isWitIdentifier, parsePackageName } from '../resolve/package-name.js';
import { parseRequirement } from '../resolve/requirement.js';
import { REGISTRY_HOST_HINT, registryHostProblem } from '../host.js';
import { parseTomlText } from './toml-text.js';

export { parseTomlText };

/** One `[dependencies]` entry, in file order. */
export interface ManifestDependency {
  name: string;
  /** The requirement as written (absent for a path dependency). */
  requirement?: string;
  /** A local WIT folder or file, relative to the manifest. */
  path?: string;
  /** A registry name that overrides the namespace mapping for this package. */
  registry?: string;
}

/** Where a namespace's packages live (`[registries]`). */
export type RegistryMapping =
  | { kind: 'name'; registry: string }
  | { kind: 'oci'; oci: string; prefix: string; insecure: boolean }
  | { kind: 'layout'; layout: string };

/** `[package]`: the project's own package, and the metadata `publish` writes as annotations. */
export interface PackageSection {
  name?: string;
  version?: string;
  wit: string;
  /** Publishing metadata (`org.opencontainers.image.*` annotations). */
  meta?: Partial<Record<PackageMetaKey, string>> & { authors?: string[] };
}

/** The string-valued publishing keys of `[package]`. */
export const PACKAGE_META_KEYS = [
  'description',
  'license',
  'homepage',
  'source',
  'revision',
] as const;
export type PackageMetaKey = (typeof PACKAGE_META_KEYS)[number];

/** The parsed manifest. */
export interface Manifest {
  package?: PackageSection;
  dependencies: ManifestDependency[];
  /** namespace -> mapping. */
  registries: Map<string, RegistryMapping>;
  /** `[mirrors]` as written: parsed by `registry/registries-conf.ts` (its syntax lives there). */
  mirrors?: Record<string, unknown>;
}

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** `a."b:c".d` — quotes every segment that is not a bare TOML key. */
export function keyPath(segments: readonly string[]): string {
  return segments.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

class Checker {
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The 1-based line where the last segment of `path` is written, when it can be found. */
  lineOf(path: readonly string[]): number | undefined {
    const last = path[path.length - 1];
    if (last === undefined) return undefined;
    const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(^|[\\s{,.\\[])(["']?)${escaped}\\2\\s*(=|\\])`);
    const lines = this.text.split('\n');
    const index = lines.findIndex((l) => re.test(l));
    return index < 0 ? undefined : index + 1;
  }

  fail(path: readonly string[], problem: string, hint: string, cause?: unknown): never {
    const line = this.lineOf(path);
    throw projectError(
      'manifest-invalid',
      {
        file: this.file,
        key: keyPath(path),
        ...(line === undefined ? {} : { line }),
        problem,
        fix: hint,
      },
      { cause },
    );
  }

  onlyKeys(table: Table, allowed: readonly string[], path: readonly string[]): void {
    for (const key of Object.keys(table))
      if (!allowed.includes(key))
        this.fail([...path, key], 'is not a known key', `known keys here: ${allowed.join(', ')}`);
  }

  /** A registry name or OCI host: a plain `host[:port]` (it becomes a URL). */
  host(value: unknown, path: readonly string[]): string {
    const host = this.string(value, path);
    const problem = registryHostProblem(host);
    if (problem !== undefined)
      this.fail(
        path,
        `\`${host}\` is not a valid registry host: ${problem}`,
        /^http:\/\//i.test(host) && path.length === 3 && path[2] === 'oci'
          ? `${REGISTRY_HOST_HINT}; for a registry that only speaks http, add \`insecure = true\``
          : REGISTRY_HOST_HINT,
      );
    return host;
  }

  string(value: unknown, path: readonly string[]): string {
    if (typeof value !== 'string')
      this.fail(path, `must be a string, not ${describe(value)}`, 'quote the value');
    return value;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}

/**
 * Parses and validates `wit.toml` text.
 *
 * @throws {WitDepsError} `ERR_MANIFEST_PARSE` or `ERR_MANIFEST_INVALID`.
 */
export function parseManifest(text: string, file = 'wit.toml'): Manifest {
  const doc = parseTomlText(text, file, 'ERR_MANIFEST_PARSE');
  const check: Checker = new Checker(file, text);
  check.onlyKeys(doc, ['package', 'dependencies', 'registries', 'mirrors'], []);
  const manifest: Manifest = { dependencies: [], registries: new Map() };
  if (doc['package'] !== undefined) manifest.package = parsePackageSection(check, doc['package']);
  const deps = doc['dependencies'];
  if (deps !== undefined) {
    if (!isTable(deps)) check.fail(['dependencies'], 'must be a table', 'write `[dependencies]`');
    for (const [name, value] of Object.entries(deps))
      manifest.dependencies.push(parseDependency(check, name, value));
  }
  const regs = doc['registries'];
  if (regs !== undefined) {
    if (!isTable(regs)) check.fail(['registries'], 'must be a table', 'write `[registries]`');
    for (const [ns, value] of Object.entries(regs))
      manifest.registries.set(ns, parseRegistryMapping(check, ns, value));
  }
  const mirrors = doc['mirrors'];
  if (mirrors !== undefined) {
    if (!isTable(mirrors)) check.fail(['mirrors'], 'must be a table', 'write `[mirrors]`');
    manifest.mirrors = mirrors;
  }
  return manifest;
}

function parsePackageSection(check: Checker, value: unknown): NonNullable<Manifest['package']> {
  if (!isTable(value)) check.fail(['package'], 'must be a table', 'write `[package]`');
  check.onlyKeys(value, ['name', 'version', 'wit', 'authors', ...PACKAGE_META_KEYS], ['package']);
  const out: NonNullable<Manifest['package']> = { wit: 'wit' };
  if (value['name'] !== undefined) {
    const name = check.string(value['name'], ['package', 'name']);
    validName(check, name, ['package', 'name']);
    out.name = name;
  }
  if (value['version'] !== undefined) {
    const version = check.string(value['version'], ['package', 'version']);
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version))
      check.fail(
        ['package', 'version'],
        `\`${version}\` is not a semver version`,
        'write e.g. `0.1.0`',
      );
    out.version = version;
  }
  if (value['wit'] !== undefined) out.wit = check.string(value['wit'], ['package', 'wit']);
  const meta = parsePackageMeta(check, value);
  if (Object.keys(meta).length > 0) out.meta = meta;
  return out;
}

function parsePackageMeta(check: Checker, value: Table): NonNullable<PackageSection['meta']> {
  const meta: NonNullable<PackageSection['meta']> = {};
  for (const key of PACKAGE_META_KEYS)
    if (value[key] !== undefined) meta[key] = check.string(value[key], ['package', key]);
  const authors = value['authors'];
  if (authors !== undefined) {
    if (!Array.isArray(authors))
      check.fail(['package', 'authors'], 'must be a list', 'write `authors = ["Name <mail>"]`');
    meta.authors = authors.map((a, i) => check.string(a, ['package', 'authors', String(i)]));
  }
  return meta;
}

function validName(check: Checker, name: string, path: readonly string[]): void {
  try {
    parsePackageName(name);
  } catch (error) {
    check.fail(
      path,
      `\`${name}\` is not a valid package name`,
      'write `namespace:name` with kebab-case WIT identifiers, e.g. `wasi:http`',
      error,
    );
  }
}

function validRequirement(check: Checker, text: string, path: readonly string[]): void {
  try {
    parseRequirement(text);
  } catch (error) {
    const reason = isWitDepsError(error) ? error.message : String(error);
    check.fail(
      path,
      `is not a valid requirement (${reason})`,
      'use Cargo-style requirements such as `0.2.0`, `^0.2`, `=0.2.3`',
      error,
    );
  }
}

function parseDependency(check: Checker, name: string, value: unknown): ManifestDependency {
  const path = ['dependencies', name];
  validName(check, name, path);
  if (typeof value === 'string') {
    validRequirement(check, value, path);
    return { name, requirement: value };
  }
  if (!isTable(value))
    check.fail(
      path,
      `must be a requirement string or a table, not ${describe(value)}`,
      'write `"ns:pkg" = "0.2.0"`',
    );
  check.onlyKeys(value, ['version', 'path', 'registry'], path);
  const dep: ManifestDependency = { name };
  if (value['version'] !== undefined) {
    dep.requirement = check.string(value['version'], [...path, 'version']);
    validRequirement(check, dep.requirement, [...path, 'version']);
  }
  if (value['path'] !== undefined) dep.path = check.string(value['path'], [...path, 'path']);
  if (value['registry'] !== undefined)
    dep.registry = check.host(value['registry'], [...path, 'registry']);
  if (dep.path !== undefined && (dep.requirement !== undefined || dep.registry !== undefined))
    check.fail(
      path,
      'has `path` together with `version` or `registry`',
      'a path dependency takes only `path`',
    );
  if (dep.path === undefined && dep.requirement === undefined)
    check.fail(
      path,
      'needs `version` or `path`',
      'write `{ version = "0.2.0" }` or `{ path = "../x/wit" }`',
    );
  return dep;
}

function parseRegistryMapping(check: Checker, ns: string, value: unknown): RegistryMapping {
  const path = ['registries', ns];
  if (!isWitIdentifier(ns))
    check.fail(
      path,
      `\`${ns}\` is not a valid namespace`,
      'use a kebab-case WIT identifier such as `wasi`',
    );
  if (typeof value === 'string') return { kind: 'name', registry: check.host(value, path) };
  if (!isTable(value))
    check.fail(path, 'must be a registry name or a table', 'write `ns = "registry.example.com"`');
  if (value['layout'] !== undefined && value['oci'] !== undefined)
    check.fail(
      path,
      'has both `oci` and `layout`',
      'a namespace lives either in a registry (`{ oci = "ghcr.io", prefix = "org/" }`) or in an OCI layout folder (`{ layout = "vendor/oci" }`): keep one',
    );
  if (value['layout'] !== undefined) {
    check.onlyKeys(value, ['layout'], path);
    return { kind: 'layout', layout: check.string(value['layout'], [...path, 'layout']) };
  }
  check.onlyKeys(value, ['oci', 'prefix', 'insecure'], path);
  if (value['oci'] === undefined)
    check.fail(
      path,
      'needs `oci` or `layout`',
      'write `{ oci = "ghcr.io", prefix = "org/" }` or `{ layout = "vendor/oci" }`',
    );
  const prefix =
    value['prefix'] === undefined ? '' : check.string(value['prefix'], [...path, 'prefix']);
  checkPrefix(check, prefix, [...path, 'prefix']);
  const insecure = value['insecure'] ?? false;
  if (typeof insecure !== 'boolean')
    check.fail([...path, 'insecure'], 'must be true or false', 'write `insecure = true`');
  return { kind: 'oci', oci: check.host(value['oci'], [...path, 'oci']), prefix, insecure };
}

/** One `/`-separated part of an OCI repository name (the distribution spec's path component). */
const REPOSITORY_PART = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;

/** `prefix`: empty, or repository parts each followed by `/` (`org/`, `org/team/`). */
function checkPrefix(check: Checker, prefix: string, path: readonly string[]): void {
  if (prefix === '') return;
  const none = 'or leave `prefix` out for none';
  if (prefix.startsWith('/'))
    check.fail(
      path,
      `\`${prefix}\` must not start with \`/\`: it is the start of a repository path`,
      `write \`prefix = "${prefix.replace(/^\/+/, '') || 'org/'}"\`, ${none}`,
    );
  if (!prefix.endsWith('/'))
    check.fail(path, `\`${prefix}\` must end with \`/\``, `write \`prefix = "${prefix}/"\``);
  const bad = prefix
    .slice(0, -1)
    .split('/')
    .find((part) => !REPOSITORY_PART.test(part));
  if (bad !== undefined)
    check.fail(
      path,
      bad === ''
        ? `\`${prefix}\` has an empty part (\`//\`)`
        : `\`${prefix}\` has \`${bad}\`, which is not a repository name part`,
      `repository names use lowercase letters, digits and \`.\`, \`_\`, \`-\` between them, e.g. \`prefix = "webassembly/"\`, ${none}`,
    );
}
