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

const WORD = /^(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)$/;
const LATER_WORD = /^(?:[a-z0-9]+|[A-Z0-9]+)$/;
const LOWER_LABEL = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** True for a kebab-case label: words of all-lowercase or all-uppercase letters and digits. */
export function isLabel(name: string): boolean {
  if (name.length === 0 || name.length > 1024) return false;
  const words = name.split('-');
  return words.every((w, i) => (i === 0 ? WORD : LATER_WORD).test(w));
}

/** True for a lowercase kebab label, as namespaces, package and interface names must be. */
export function isLowerLabel(name: string): boolean {
  return name.length <= 1024 && LOWER_LABEL.test(name);
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

/** Classifies an extern name; `undefined` when it is none of the forms a WIT package uses. */
export function parseComponentName(name: string): ComponentName | undefined {
  if (name.startsWith('[constructor]')) {
    const resource = name.slice('[constructor]'.length);
    return isLabel(resource) ? { kind: 'constructor', resource } : undefined;
  }
  for (const kind of ['method', 'static'] as const) {
    const prefix = `[${kind}]`;
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const dot = rest.indexOf('.');
    const resource = rest.slice(0, dot);
    const item = rest.slice(dot + 1);
    return dot > 0 && isLabel(resource) && isLabel(item)
      ? { kind, resource, name: item }
      : undefined;
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
