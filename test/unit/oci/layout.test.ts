import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/oci/digest.js';
import { LayoutBackend } from '../../../src/oci/layout.js';
import { pullWitPackage, pushWitPackage } from '../../../src/oci/wit-package.js';
import { tempDirSync } from '../../support/temp-project.js';

const LAYER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

describe('OCI image layout backend', () => {
  it('writes an image layout and reads it back, replacing a re-pushed tag', async () => {
    const dir = tempDirSync('wit-deps-layout-');
    const layout = new LayoutBackend(dir);
    const first = await pushWitPackage(layout, '', '1.0.0', {
      layer: LAYER,
      created: '2024-01-01T00:00:00Z',
    });
    await pushWitPackage(layout, '', '1.0.0', { layer: LAYER, created: '2024-02-01T00:00:00Z' });
    await pushWitPackage(layout, '', '2.0.0', { layer: LAYER, created: '2024-01-01T00:00:00Z' });
    expect(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    expect((await layout.listTags('')).sort()).toEqual(['1.0.0', '2.0.0']);
    const pulled = await pullWitPackage(layout, '', '2.0.0');
    expect(pulled.manifestDigest).toBe(first.manifestDigest);
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(LAYER))).toBe(true);
    expect(readdirSync(join(dir, 'blobs', 'sha256')).every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(
      true,
    );
  });

  it('detects a corrupted blob and a missing index', async () => {
    const dir = tempDirSync('wit-deps-layout-');
    const layout = new LayoutBackend(dir);
    await expect(layout.listTags('')).rejects.toMatchObject({ code: 'ERR_LAYOUT_INVALID' });
    const missing = new LayoutBackend(join(dir, 'no-such-package'));
    await expect(missing.listTags('')).rejects.toMatchObject({ code: 'ERR_REGISTRY_NOT_FOUND' });
    await expect(pullWitPackage(missing, '', '1.0.0')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_NOT_FOUND',
    });
    await pushWitPackage(layout, '', '1.0.0', { layer: LAYER });
    writeFileSync(join(dir, 'blobs', 'sha256', sha256Digest(LAYER).slice(7)), 'tampered');
    await expect(pullWitPackage(layout, '', '1.0.0')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
    await expect(pullWitPackage(layout, '', '9.9.9')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_NOT_FOUND',
    });
  });
});
