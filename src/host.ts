/**
 * Registry hosts as written in wit.toml `[registries]`, config.toml and OCI references: a plain
 * `host[:port]`, where host is a DNS name (letters, digits and `-` in dot-separated labels of at most
 * 63 characters, 253 in all) or a bracketed IPv6 address, and port is 1 to 65535. A value that is
 * not (`127.0.0.1:99999`, `https://ghcr.io`, `ghcr.io/org`) is refused where the file is read,
 * before it becomes a URL. Pure: no `node:*` imports. A leaf at the top of `src/` because `oci/`
 * (references) and `registry/` (config files, discovery answers) both check hosts with it.
 */

const LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
const MAX_HOST = 253;
const MAX_PORT = 65535;

function portProblem(port: string): string | undefined {
  if (!/^[0-9]{1,5}$/.test(port)) return `its port \`${port}\` is not a number`;
  const n = Number(port);
  if (n < 1 || n > MAX_PORT) return `its port ${n} is not between 1 and ${MAX_PORT}`;
  return undefined;
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'it has no host name';
  if (IPV6.test(name)) return undefined;
  if (name.length > MAX_HOST) return `its host name is longer than ${MAX_HOST} characters`;
  if (!name.split('.').every((label) => LABEL.test(label)))
    return `\`${name}\` is not a host name (letters, digits, \`-\` and \`.\`) or an IPv6 address in brackets`;
  return undefined;
}

/**
 * Why `registry` is not a valid `host[:port]`, as a clause to follow "is not a valid registry
 * host: ", or undefined when it is valid.
 */
export function registryHostProblem(registry: string): string | undefined {
  if (registry === '') return 'it is empty';
  if (registry.includes('://')) return 'it has a scheme (write the host only, e.g. `ghcr.io`)';
  if (registry.includes('@')) return 'it has user information (credentials go in config.toml)';
  if (registry.includes('/')) return 'it has a path (write the host only; a path goes in `prefix`)';
  const bracketEnd = registry.startsWith('[') ? registry.indexOf(']') : -1;
  const colon = registry.indexOf(':', bracketEnd + 1);
  if (colon >= 0 && registry.includes(':', colon + 1))
    return 'it has more than one `:` (write an IPv6 address in brackets: `[::1]:5000`)';
  const name = colon < 0 ? registry : registry.slice(0, colon);
  return nameProblem(name) ?? (colon < 0 ? undefined : portProblem(registry.slice(colon + 1)));
}

/** True when `registry` is a valid `host[:port]` (no scheme, user info or path). */
export function isValidRegistryHost(registry: string): boolean {
  return registryHostProblem(registry) === undefined;
}

/** The hint for an invalid registry host. */
export const REGISTRY_HOST_HINT =
  'write a plain `host[:port]` with a port from 1 to 65535, e.g. `ghcr.io` or `127.0.0.1:5000`';
