/**
 * The WASI package versions in `fixtures/wasi/` with their dependency closure from `index.json`,
 * as inputs for `parseWitPackage` (used by the conformance test and the bench).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WitSource } from '../../src/wit/parse.js';
import { FIXTURES } from './wit-fixtures.js';

interface VersionInfo {
  package: string;
  dependencies: Record<string, string>;
}

const ROOT = join(FIXTURES, 'wasi');

export interface WasiVersion {
  id: string;
  files: WitSource[];
  deps: WitSource[][];
}

function files(pkg: string, version: string): WitSource[] {
  const dir = join(ROOT, pkg, version);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wit'))
    .sort()
    .map((f) => ({ path: `${pkg}/${version}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

/** Every package version, with the sources of its transitive dependencies. */
export function wasiVersions(): WasiVersion[] {
  const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as {
    packages: Record<string, { versions: Record<string, VersionInfo> }>;
  };
  const info = (pkg: string, version: string): VersionInfo =>
    index.packages[pkg]!.versions[version]!;
  const out: WasiVersion[] = [];
  for (const [pkg, { versions }] of Object.entries(index.packages)) {
    for (const version of Object.keys(versions)) {
      const closure = new Map<string, [string, string]>();
      const walk = (p: string, v: string): void => {
        for (const [name, depVersion] of Object.entries(info(p, v).dependencies)) {
          const short = name.split(':')[1]!;
          const key = `${short}@${depVersion}`;
          if (closure.has(key)) continue;
          closure.set(key, [short, depVersion]);
          walk(short, depVersion);
        }
      };
      walk(pkg, version);
      out.push({
        id: `wasi:${pkg}@${version}`,
        files: files(pkg, version),
        deps: [...closure.values()].map(([p, v]) => files(p, v)),
      });
    }
  }
  return out;
}
