/** `[package]` publishing keys in wit.toml: read as strings (authors a list), others refused. */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/project/manifest.js';

describe('[package] publishing metadata', () => {
  it('reads description, license, authors, homepage, source and revision', () => {
    const m = parseManifest(`[package]
name = "acme:shop"
version = "0.3.1"
description = "d"
license = "MIT"
authors = ["A <a@example.com>", "B"]
homepage = "https://h"
source = "https://s"
revision = "r"
`);
    expect(m.package?.meta).toEqual({
      description: 'd',
      license: 'MIT',
      authors: ['A <a@example.com>', 'B'],
      homepage: 'https://h',
      source: 'https://s',
      revision: 'r',
    });
  });

  it('refuses authors that are not a list of strings, and unknown keys', () => {
    expect(() => parseManifest('[package]\nauthors = "A"\n')).toThrow(/package\.authors.*list/);
    expect(() => parseManifest('[package]\nauthors = [1]\n')).toThrow(/package\.authors/);
    expect(() => parseManifest('[package]\nlicence = "MIT"\n')).toThrow(/not a known key/);
  });

  it('a [package] without metadata has none', () => {
    expect(parseManifest('[package]\nname = "a:b"\n').package).toEqual({ name: 'a:b', wit: 'wit' });
  });
});
