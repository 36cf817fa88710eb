/**
 * `markTags` sorts plain `x.y.z` tags by a regex of its own and the rest with semver: the order
 * must be exactly the one of semver's `compare` on every mix (prereleases, build metadata,
 * numbers past what a plain tag may hold, tags that are no version).
 */
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { markTags } from '../../../src/oci/tags.js';

/** The order by semver alone: what markTags did before its fast path. */
function reference(tags: string[]): { tag: string; semver: boolean }[] {
  const marked = [...new Set(tags)].map((tag) => ({ tag, semver: semver.valid(tag) !== null }));
  return marked.sort((a, b) => {
    if (a.semver && b.semver) return semver.compare(a.tag, b.tag);
    if (a.semver !== b.semver) return a.semver ? -1 : 1;
    return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
  });
}

describe('markTags', () => {
  it('orders like semver on a mix of tag kinds', () => {
    const tags = [
      '1.10.0',
      '1.2.0',
      '1.2.0-rc.1',
      '1.2.0-rc.10',
      '1.2.0-rc.2',
      '1.2.0+build.5',
      '0.0.1',
      'latest',
      'v1.0.0',
      '01.2.3',
      '1.2',
      '9007199254740993.0.0',
      '9007199254740991.0.0',
      '2.0.0-alpha',
      '2.0.0',
      'sha256-abc',
      '10.0.0',
      '1.2.0',
      'main',
    ];
    expect(markTags(tags)).toEqual(reference(tags));
  });

  it('orders 2,000 generated tags like semver', () => {
    const tags: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = `${i % 7}.${(i * 13) % 11}.${(i * 31) % 17}`;
      tags.push(i % 9 === 0 ? `${v}-rc.${i % 4}` : i % 23 === 0 ? `tag-${i}` : v);
    }
    expect(markTags(tags)).toEqual(reference(tags));
  });
});
