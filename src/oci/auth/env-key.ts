/**
 * The `<HOST>` part of the credential variables (`WIT_DEPS_REGISTRY_<HOST>_TOKEN`, ...), made so
 * that two different registries never share a variable name (an injective mapping):
 *
 * - a host name `[a-z0-9.-]` with an optional `:port`: letters upper-cased, digits kept, `.` → `_`,
 *   `-` → `__`, `:` → `___` (`ghcr.io` → `GHCR_IO`, `registry-acme.io` → `REGISTRY__ACME_IO`,
 *   `127.0.0.1:5000` → `127_0_0_1___5000`);
 * - an IPv6 literal `[addr]` with an optional `:port`: `_`, then the address upper-cased with `:`
 *   → `_`, then `_P<port>` (`[::1]:5000` → `___1_P5000`).
 *
 * Why no two hosts meet: in a host name each label starts and ends with a letter or digit, so a
 * run of separators between two letters/digits is one `.` (one `_`), or only `-`s (an even
 * number of `_`), or the port's `:` (three `_`, after the last label). Every run of `_` in the key
 * therefore reads back as exactly one of those, and the host is recovered from its key. A host
 * name's key starts with a letter or digit, an IPv6 key with `_`; within an IPv6 key `P` (not a
 * hex digit) marks the port, and `_` ↔ `:` is one-to-one. Letter case is dropped on purpose: host
 * names are case-insensitive. Pure: no `node:*` imports.
 */
import { isValidRegistryHost } from '../reference.js';

const IPV6 = /^\[([0-9a-f:]+)\](?::([0-9]{1,5}))?$/i;

/**
 * The `<HOST>` key of `registry` (`host[:port]`), or undefined when it is not a valid registry
 * host (such a registry gets no credentials from the environment).
 */
export function registryEnvKey(registry: string): string | undefined {
  if (!isValidRegistryHost(registry)) return undefined;
  const v6 = IPV6.exec(registry);
  if (v6 !== null) {
    const address = (v6[1] ?? '').toUpperCase().replaceAll(':', '_');
    return `_${address}${v6[2] === undefined ? '' : `_P${v6[2]}`}`;
  }
  return registry.toUpperCase().replaceAll('-', '__').replaceAll('.', '_').replace(':', '___');
}
