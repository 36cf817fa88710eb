/**
 * Every WASI package version in fixtures/wasi (127) parses, resolves with its dependency closure
 * and encodes to a binary WIT package.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWitPackage } from '../../src/wit/encode/index.js';
import { decodeWit, printWitPackage } from '../../src/wit/index.js';
import { formatPackageName, getPackage } from '../../src/wit/model.js';
import { parseWitPackage } from '../../src/wit/parse.js';
import { wasiVersions } from '../support/wasi.js';
import { sections } from '../support/wasm-sections.js';

const versions = wasiVersions();
let passed = 0;

describe('WASI packages: parse + resolve + encode + decode + print', () => {
  it('has all 127 package versions', () => {
    expect(versions).toHaveLength(127);
  });
  for (const v of versions) {
    it(v.id, () => {
      const { resolve, package: pkg } = parseWitPackage(v.files, v.deps);
      expect(formatPackageName(getPackage(resolve, pkg).name)).toBe(v.id);
      const bytes = encodeWitPackage(resolve, pkg, { producersVersion: '0.0.0' });
      const ids = sections(bytes).map((s) => s.name ?? String(s.id));
      const p = getPackage(resolve, pkg);
      expect(ids.filter((s) => s === '11')).toHaveLength(p.interfaces.size + p.worlds.size);
      expect(ids.slice(-2)).toEqual(['package-docs', 'producers']);
      // decode(encode(x)) prints back to the same text as printing the parsed source.
      const decoded = decodeWit(bytes);
      expect(printWitPackage(decoded.resolve, decoded.package)).toBe(printWitPackage(resolve, pkg));
      passed++;
    });
  }
  afterAll(() => console.log(`wasi: ${passed} of ${versions.length} package versions encoded`));
});
