/**
 * What `publish` derives besides the bytes: the revision and time of a clean git checkout (none
 * for a dirty one), `SOURCE_DATE_EPOCH` first, the `[package]` annotations, and the identity
 * check between wit.toml and the WIT header.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanRevision } from '../../../../src/app/oci/git-revision.js';
import {
  packageIdentity,
  publishAnnotations,
  publishTime,
} from '../../../../src/app/oci/publish-meta.js';
import { tempDir } from '../../../support/temp-project.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
      GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z',
    },
  }).trim();
}

describe('cleanRevision', () => {
  it('is the commit and its time in a clean checkout, and nothing once a file changes', async () => {
    const dir = await tempDir('wit-deps-git-');
    git(dir, 'init', '-q');
    await writeFile(join(dir, 'a.wit'), 'package a:b@0.1.0;\n');
    git(dir, 'add', 'a.wit');
    git(dir, 'commit', '-q', '-m', 'one');
    const commit = git(dir, 'rev-parse', 'HEAD');
    expect(await cleanRevision(dir)).toEqual({ commit, time: '2024-01-02T03:04:05.000Z' });
    await writeFile(join(dir, 'a.wit'), 'package a:b@0.2.0;\n');
    expect(await cleanRevision(dir)).toBeUndefined();
  });

  it('is nothing outside a git checkout', async () => {
    expect(await cleanRevision(await tempDir('wit-deps-nogit-'))).toBeUndefined();
  });
});

describe('publish metadata', () => {
  const revision = { commit: 'a'.repeat(40), time: '2024-01-02T03:04:05.000Z' };

  it('SOURCE_DATE_EPOCH wins over the commit time; a non-number is a usage error', () => {
    expect(publishTime({ SOURCE_DATE_EPOCH: '0' }, revision)).toBe('1970-01-01T00:00:00.000Z');
    expect(publishTime({}, revision)).toBe(revision.time);
    expect(() => publishTime({ SOURCE_DATE_EPOCH: 'soon' }, revision)).toThrow(/SOURCE_DATE_EPOCH/);
  });

  it('annotations come from [package]; an explicit revision beats the commit', () => {
    expect(publishAnnotations({ license: 'MIT', authors: ['A', 'B'] }, '1.0.0', revision)).toEqual({
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.authors': 'A, B',
      'org.opencontainers.image.revision': revision.commit,
      'org.opencontainers.image.version': '1.0.0',
    });
    expect(publishAnnotations({ revision: 'v1' }, '1.0.0', revision)).toMatchObject({
      'org.opencontainers.image.revision': 'v1',
    });
  });

  it('the WIT header must have a version, and [package] must agree with it', () => {
    const header = { namespace: 'acme', name: 'shop', version: '0.3.1' };
    expect(packageIdentity(header, { wit: 'wit' }, 'wit')).toEqual({
      name: 'acme:shop',
      version: '0.3.1',
    });
    expect(() => packageIdentity({ namespace: 'acme', name: 'shop' }, undefined, 'wit')).toThrow(
      /has no version/,
    );
    expect(() => packageIdentity(header, { wit: 'wit', version: '0.3.2' }, 'wit')).toThrow(
      /`0\.3\.2`.*`acme:shop@0\.3\.1`/,
    );
  });
});
