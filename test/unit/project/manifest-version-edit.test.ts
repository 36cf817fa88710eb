/**
 * `setDependencyVersion`: `add` and `update` change only the version string of an existing entry,
 * whatever its form, so its other keys (`registry`), its comments and the blank lines around it
 * stay (before, `add` rewrote the entry inline and dropped `registry`).
 */
import { describe, expect, it } from 'vitest';
import { setDependencyVersion } from '../../../src/project/manifest-edit.js';
import { parseManifest } from '../../../src/project/manifest.js';

describe('setDependencyVersion', () => {
  it('changes only the string of an inline entry, keeping its quotes and comment', () => {
    const text = '[dependencies]\n\'wasi:io\' = \'0.2.0\'   # io\n\n"wasi:random" = "^0.2"\n';
    expect(setDependencyVersion(text, 'wasi:io', '0.2.3')).toBe(
      '[dependencies]\n\'wasi:io\' = \'0.2.3\'   # io\n\n"wasi:random" = "^0.2"\n',
    );
  });

  it('keeps registry and every other key of an inline table', () => {
    const text =
      '[dependencies]\n"acme:billing" = { registry = "registry.acme.io", version = "1.0.0" } # billing\n';
    const out = setDependencyVersion(text, 'acme:billing', '^1.4');
    expect(out).toBe(
      '[dependencies]\n"acme:billing" = { registry = "registry.acme.io", version = "^1.4" } # billing\n',
    );
    expect(parseManifest(out!).dependencies[0]).toMatchObject({
      registry: 'registry.acme.io',
      requirement: '^1.4',
    });
  });

  it('keeps a [dependencies."x"] table a table, with its comments and CRLF', () => {
    const text = [
      '[dependencies]',
      '',
      '# the HTTP types',
      '[dependencies."wasi:http"]',
      'registry = "wasi.dev"',
      'version = "0.2.0" # pinned by hand',
      '',
      '[package]',
      'name = "acme:app"',
      '',
    ].join('\r\n');
    expect(setDependencyVersion(text, 'wasi:http', '0.2.3')).toBe(
      text.replace('version = "0.2.0"', 'version = "0.2.3"'),
    );
  });

  it('is undefined for a path entry or a missing one (the caller writes a new entry)', () => {
    const text = '[dependencies]\n"acme:a" = { path = "../a" }\n';
    expect(setDependencyVersion(text, 'acme:a', '1.0.0')).toBeUndefined();
    expect(setDependencyVersion(text, 'acme:b', '1.0.0')).toBeUndefined();
  });

  it('edits a tight inline table', () => {
    const text = '[dependencies]\n"acme:a" = {version="1.0.0",registry="r.io"}\n';
    expect(setDependencyVersion(text, 'acme:a', '2.0.0')).toBe(
      '[dependencies]\n"acme:a" = {version="2.0.0",registry="r.io"}\n',
    );
  });
});
