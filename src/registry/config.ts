/**
 * The wasm-pkg `config.toml` shared with wkg and cargo-component (wasm-pkg-common `config/toml.rs`):
 *
 * ```toml
 * default_registry = "acme.registry.com"
 * [namespace_registries]
 * wasi = "wasi.dev"
 * other = { registry = "other", metadata = { preferredProtocol = "oci", oci = { registry = "ghcr.io", namespacePrefix = "x/" } } }
 * [package_registry_overrides]
 * "example:foo" = "example.com"
 * [registry."acme.registry.com".oci]
 * auth = { username = "open", password = "sesame" }   # or a base64 "user:pass" string
 * protocol = "https"                                  # or "http"
 * ```
 *
 * Pure: reading the file is `config-io.ts`.
 */
import { type WitDepsError, isErrorKind } from '../errors.js';
import { registryError } from './error-text.js';
import { parseTomlText } from '../project/manifest.js';
import { registryHostProblem } from '../host.js';
import { parseRegistryMetadata, type OciMetadata } from './metadata.js';

/** A registry mapping: a registry name, with inline metadata (skips `.well-known`) or not. */
export interface RegistryRef {
  registry: string;
  metadata?: OciMetadata;
}

/** Per-registry OCI settings. */
export interface RegistryOciSettings {
  auth?: { username: string; password: string };
  protocol?: 'http' | 'https';
}

/** The parsed config. */
export interface WasmPkgConfig {
  defaultRegistry?: string;
  namespaceRegistries: Map<string, RegistryRef>;
  packageOverrides: Map<string, RegistryRef>;
  registries: Map<string, RegistryOciSettings>;
}

/** A config with nothing in it. */
export function emptyConfig(): WasmPkgConfig {
  return { namespaceRegistries: new Map(), packageOverrides: new Map(), registries: new Map() };
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(file: string, key: string, problem: string): WitDepsError {
  return registryError('config-invalid', { file, key, problem });
}

/** A registry name or OCI host: a plain `host[:port]` (it becomes a URL). */
function host(file: string, key: string, value: string): string {
  const problem = registryHostProblem(value);
  if (problem === undefined) return value;
  throw registryError('config-host-invalid', { file, key, value, problem });
}

function registryRef(file: string, key: string, value: unknown): RegistryRef {
  if (typeof value === 'string') return { registry: host(file, key, value) };
  if (!isTable(value) || typeof value['registry'] !== 'string')
    throw bad(file, key, 'must be a registry name or `{ registry, metadata }`');
  const ref: RegistryRef = { registry: host(file, `${key}.registry`, value['registry']) };
  if (value['metadata'] !== undefined) ref.metadata = inlineMetadata(file, key, ref, value);
  return ref;
}

/** Inline `metadata` (its OCI host and prefix are checked as a `.well-known` answer would be). */
function inlineMetadata(file: string, key: string, ref: RegistryRef, value: Table): OciMetadata {
  try {
    return parseRegistryMetadata(ref.registry, value['metadata']);
  } catch (error) {
    if (!isErrorKind(error, 'metadata-invalid')) throw error;
    throw registryError(
      'config-metadata-invalid',
      {
        file,
        key: `${key}.metadata`,
        registry: error.details.registry,
        problem: error.details.problem,
      },
      { cause: error },
    );
  }
}

function decodeBase64Auth(
  file: string,
  key: string,
  text: string,
): { username: string; password: string } {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw bad(file, key, 'is not base64 of `user:password`');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function ociSettings(file: string, name: string, value: unknown): RegistryOciSettings {
  const key = `registry."${name}".oci`;
  if (!isTable(value)) throw bad(file, key, 'must be a table');
  const out: RegistryOciSettings = {};
  const auth = value['auth'];
  if (typeof auth === 'string') out.auth = decodeBase64Auth(file, `${key}.auth`, auth);
  else if (isTable(auth)) {
    if (typeof auth['username'] !== 'string' || typeof auth['password'] !== 'string')
      throw bad(file, `${key}.auth`, 'needs `username` and `password` strings');
    out.auth = { username: auth['username'], password: auth['password'] };
  } else if (auth !== undefined)
    throw bad(file, `${key}.auth`, 'must be a table or a base64 string');
  const protocol = value['protocol'];
  if (protocol === 'http' || protocol === 'https') out.protocol = protocol;
  else if (protocol !== undefined) throw bad(file, `${key}.protocol`, 'must be "http" or "https"');
  return out;
}

function mapOf(file: string, doc: Table, key: string): Map<string, RegistryRef> {
  const table = doc[key];
  const out = new Map<string, RegistryRef>();
  if (table === undefined) return out;
  if (!isTable(table)) throw bad(file, key, 'must be a table');
  for (const [k, v] of Object.entries(table)) out.set(k, registryRef(file, `${key}."${k}"`, v));
  return out;
}

/** Parses `config.toml` text. */
export function parseWasmPkgConfig(text: string, file = 'config.toml'): WasmPkgConfig {
  const doc = parseTomlText(text, file, 'ERR_CONFIG_INVALID');
  for (const key of Object.keys(doc))
    if (
      ![
        'default_registry',
        'namespace_registries',
        'package_registry_overrides',
        'registry',
      ].includes(key)
    )
      throw bad(file, key, 'is not a known key');
  const config = emptyConfig();
  const def = doc['default_registry'];
  if (typeof def === 'string') config.defaultRegistry = host(file, 'default_registry', def);
  else if (def !== undefined) throw bad(file, 'default_registry', 'must be a string');
  config.namespaceRegistries = mapOf(file, doc, 'namespace_registries');
  config.packageOverrides = mapOf(file, doc, 'package_registry_overrides');
  const regs = doc['registry'];
  if (isTable(regs))
    for (const [name, value] of Object.entries(regs)) {
      if (isTable(value) && value['oci'] !== undefined)
        config.registries.set(name, ociSettings(file, name, value['oci']));
      else config.registries.set(name, {});
    }
  return config;
}
