/**
 * WIT package names (`namespace:name`) and package ids (`namespace:name@version`).
 *
 * Each label is a WIT identifier: kebab-case words, each word all-lowercase or all-uppercase,
 * starting with a letter (component-model `Explainer.md`, "label" production). Names are
 * validated before they become folder names or OCI repositories, so a manifest cannot smuggle
 * `..` or `/` into a path.
 */
import { resolveError } from './error-text.js';

const WORD = '(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)';
const LABEL = new RegExp(`^${WORD}(?:-${WORD})*$`);

/** True when `text` is a valid WIT identifier (without a `%` escape). */
export function isWitIdentifier(text: string): boolean {
  return LABEL.test(text);
}

/** A validated `namespace:name`. */
export interface PackageName {
  namespace: string;
  name: string;
}

/**
 * Parses and validates `namespace:name`.
 *
 * @throws {WitDepsError} `ERR_INVALID_PACKAGE_NAME`.
 */
export function parsePackageName(text: string): PackageName {
  const parts = text.split(':');
  if (parts.length === 2 && isWitIdentifier(parts[0]!) && isWitIdentifier(parts[1]!))
    return { namespace: parts[0]!, name: parts[1]! };
  throw resolveError('invalid-package-name', { name: text });
}

/** `namespace:name`. */
export function formatPackageName(name: PackageName): string {
  return `${name.namespace}:${name.name}`;
}

/** `namespace:name@version`. */
export function packageId(name: string, version: string): string {
  return `${name}@${version}`;
}

/**
 * The `wit/deps` folder of a package version, as wkg names it: `<ns>-<name>-<version>`, or
 * `<ns>-<name>` for an unversioned package (a path dependency whose header has no version).
 */
export function depsFolderName(name: string, version: string | undefined): string {
  const { namespace, name: pkg } = parsePackageName(name);
  const folder = version === undefined ? `${namespace}-${pkg}` : `${namespace}-${pkg}-${version}`;
  // the last guard before a path: whatever the version's source, the folder is one plain segment
  if (!isPlainSegment(folder)) throw resolveError('invalid-deps-folder', { name, version });
  return folder;
}

/** One plain path segment of SemVer characters: no separator, not `.`/`..`, not hidden. */
export function isPlainSegment(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(text) && !text.includes('..');
}

/** Orders package names by namespace, then name, as separate labels (wkg.lock order). */
export function comparePackageNames(a: string, b: string): number {
  const [an = '', bn = ''] = [a.split(':')[0], b.split(':')[0]];
  if (an !== bn) return an < bn ? -1 : 1;
  const [ap = '', bp = ''] = [a.split(':')[1], b.split(':')[1]];
  if (ap !== bp) return ap < bp ? -1 : 1;
  return 0;
}
