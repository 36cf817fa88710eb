/**
 * `wkg.toml`: only its `[overrides]` matter to installs, so wkg projects work unchanged
 * (wasm-pkg-core `manifest.rs`): `"ns:pkg" = { path = "..." }` replaces a package by a local
 * WIT folder or file; `"ns:pkg" = { version = "^0.2" }` sets the requirement. `[metadata]` and
 * `[workspace]` are accepted and ignored. Pure: no `node:*`.
 */
import type { WitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { parsePackageName } from '../resolve/package-name.js';
import { parseRequirement } from '../resolve/requirement.js';
import { keyPath, parseTomlText } from './manifest.js';

/** One override. */
export interface WkgOverride {
  name: string;
  path?: string;
  requirement?: string;
}

function bad(file: string, path: string[], problem: string): WitDepsError {
  return projectError('overrides-invalid', { file, key: keyPath(path), problem });
}

/** Parses the `[overrides]` of `wkg.toml` text. */
export function parseWkgOverrides(text: string, file = 'wkg.toml'): WkgOverride[] {
  const doc = parseTomlText(text, file, 'ERR_CONFIG_INVALID');
  for (const key of Object.keys(doc))
    if (!['overrides', 'metadata', 'workspace'].includes(key))
      throw bad(file, [key], 'is not a known key');
  const overrides = doc['overrides'];
  if (overrides === undefined) return [];
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    throw bad(file, ['overrides'], 'must be a table');
  const out: WkgOverride[] = [];
  for (const [name, value] of Object.entries(overrides as Record<string, unknown>)) {
    const path = ['overrides', name];
    try {
      parsePackageName(name);
    } catch {
      throw bad(file, path, 'is not a valid package name');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw bad(file, path, 'must be a table');
    const entry = value as Record<string, unknown>;
    const o: WkgOverride = { name };
    for (const [key, v] of Object.entries(entry)) {
      if (key !== 'path' && key !== 'version')
        throw bad(file, [...path, key], 'is not a known key');
      if (typeof v !== 'string') throw bad(file, [...path, key], 'must be a string');
    }
    if (typeof entry['path'] === 'string') o.path = entry['path'];
    else if (typeof entry['version'] === 'string') {
      try {
        parseRequirement(entry['version']);
      } catch {
        throw bad(file, [...path, 'version'], `\`${entry['version']}\` is not a valid requirement`);
      }
      o.requirement = entry['version'];
    }
    out.push(o);
  }
  return out;
}
