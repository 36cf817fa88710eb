/**
 * Component-model extern names as the WIT decoder reads them (component-model `Explainer.md`,
 * "Import and Export Definitions"): plain kebab labels, `[constructor]r`, `[method]r.m`,
 * `[static]r.s`, and interface ids `ns:pkg/iface@version`. Names are validated here because they
 * end up in printed WIT and, for package names, in folder names under `wit/deps`.
 */
import type { PackageName } from '../model.js';

export type ComponentName =
  | { kind: 'label'; name: string }
  | { kind: 'constructor'; resource: string }
  | { kind: 'method'; resource: string; name: string }
  | { kind: 'static'; resource: string; name: string }
  | { kind: 'interface'; namespace: string; pkg: string; iface: string; version?: string };

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const DASH = 0x2d;

/**
 * Scans `name` as kebab words (`-`-separated, none empty): each word all-lowercase or
 * all-uppercase letters and digits (`upper` false allows lowercase only), the first word
 * starting with a letter. A scan of character codes: names are checked once per item read.
 */
function isKebab(name: string, upper: boolean): boolean {
  const to = name.length;
  if (to === 0 || to > 1024) return false;
  let i = 0;
  for (;;) {
    const first = name.charCodeAt(i);
    if (i === 0 && !((first >= 0x61 && first <= 0x7a) || (upper && first >= 0x41 && first <= 0x5a)))
      return false;
    let lower = false;
    let capital = false;
    const start = i;
    for (; i < to; i++) {
      const c = name.charCodeAt(i);
      if (c === DASH) break;
      if (c >= 0x61 && c <= 0x7a) lower = true;
      else if (upper && c >= 0x41 && c <= 0x5a) capital = true;
      else if (c < 0x30 || c > 0x39) return false;
    }
    if (i === start || (lower && capital)) return false;
    if (i === to) return true;
    i++;
    if (i === to) return false;
  }
}

/** True for a kebab-case label: words of all-lowercase or all-uppercase letters and digits. */
export function isLabel(name: string): boolean {
  return isKebab(name, true);
}

/** True for a lowercase kebab label, as namespaces, package and interface names must be. */
export function isLowerLabel(name: string): boolean {
  return isKebab(name, false);
}

export function isSemver(version: string): boolean {
  return version.length <= 256 && SEMVER.test(version);
}

function parseInterfaceId(name: string): ComponentName | undefined {
  const colon = name.indexOf(':');
  const slash = name.indexOf('/', colon);
  if (colon < 0 || slash < 0) return undefined;
  const at = name.indexOf('@', slash);
  const namespace = name.slice(0, colon);
  const pkg = name.slice(colon + 1, slash);
  const iface = name.slice(slash + 1, at < 0 ? undefined : at);
  if (!isLowerLabel(namespace) || !isLowerLabel(pkg) || !isLabel(iface)) return undefined;
  if (at < 0) return { kind: 'interface', namespace, pkg, iface };
  return { kind: 'interface', namespace, pkg, iface, version: name.slice(at + 1) };
}

function parseResourceItem(
  kind: 'method' | 'static',
  name: string,
  prefix: number,
): ComponentName | undefined {
  const dot = name.indexOf('.', prefix);
  if (dot <= prefix) return undefined;
  const resource = name.slice(prefix, dot);
  const item = name.slice(dot + 1);
  return isLabel(resource) && isLabel(item) ? { kind, resource, name: item } : undefined;
}

/** Classifies an extern name; `undefined` when it is none of the forms a WIT package uses. */
export function parseComponentName(name: string): ComponentName | undefined {
  if (name.charCodeAt(0) === 0x5b /* [ */) {
    if (name.startsWith('[constructor]')) {
      const resource = name.slice('[constructor]'.length);
      return isLabel(resource) ? { kind: 'constructor', resource } : undefined;
    }
    if (name.startsWith('[method]')) return parseResourceItem('method', name, '[method]'.length);
    if (name.startsWith('[static]')) return parseResourceItem('static', name, '[static]'.length);
    return undefined;
  }
  if (name.includes(':')) return parseInterfaceId(name);
  return isLabel(name) ? { kind: 'label', name } : undefined;
}

/**
 * The package of an interface id, with the `versionsuffix` name option appended to the version
 * when present (wit-parser's `to_package_name`). `undefined` when the version is not semver.
 */
export function toPackageName(
  id: Extract<ComponentName, { kind: 'interface' }>,
  versionSuffix: string | undefined,
): PackageName | undefined {
  const name: PackageName = { namespace: id.namespace, name: id.pkg };
  if (id.version === undefined) return name;
  const version = versionSuffix === undefined ? id.version : id.version + versionSuffix;
  if (!isSemver(version)) return undefined;
  name.version = version;
  return name;
}
