/**
 * What `publish` says about a package besides its bytes: its identity (the WIT header, checked
 * against `[package]` in wit.toml), the manifest annotations written from `[package]` (the keys
 * `wkg publish` writes), and the creation time that keeps a publish reproducible.
 */
import semver from 'semver';
import { WitDepsError } from '../../errors.js';
import type { PackageSection } from '../../project/manifest.js';
import type { PackageName } from '../../wit/model.js';
import type { GitRevision } from './git-revision.js';

const OCI = 'org.opencontainers.image';

/** `[package]` keys and the annotation each becomes. */
const ANNOTATION_OF = {
  description: `${OCI}.description`,
  license: `${OCI}.licenses`,
  homepage: `${OCI}.url`,
  source: `${OCI}.source`,
  revision: `${OCI}.revision`,
} as const;

export interface PackageIdentity {
  /** `ns:name`. */
  name: string;
  version: string;
}

function disagree(what: string, header: string, manifest: string, witDir: string): WitDepsError {
  return new WitDepsError(
    'ERR_MANIFEST_INVALID',
    `\`[package] ${what}\` in wit.toml is \`${manifest}\`, but the WIT package in \`${witDir}\` is \`${header}\``,
    {
      hint: `make them agree: change \`${what}\` in wit.toml or the \`package\` line of the WIT files`,
      details: { header, manifest },
    },
  );
}

/** The package's `ns:name` and version; `[package]` must agree with the WIT header. */
export function packageIdentity(
  header: PackageName,
  section: PackageSection | undefined,
  witDir: string,
): PackageIdentity {
  const name = `${header.namespace}:${header.name}`;
  if (section?.name !== undefined && section.name !== name)
    throw disagree('name', name, section.name, witDir);
  const version = header.version;
  if (version === undefined) {
    throw new WitDepsError(
      'ERR_MANIFEST_INVALID',
      `the WIT package \`${name}\` in \`${witDir}\` has no version to publish`,
      { hint: `write \`package ${name}@${section?.version ?? '0.1.0'};\` in its WIT files` },
    );
  }
  if (section?.version !== undefined && semver.eq(section.version, version) === false)
    throw disagree('version', `${name}@${version}`, section.version, witDir);
  return { name, version };
}

/** `created`: `SOURCE_DATE_EPOCH` (seconds), else the clean checkout's commit time, else now. */
export function publishTime(
  env: Readonly<Record<string, string | undefined>>,
  revision: GitRevision | undefined,
): string {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) {
      throw new WitDepsError(
        'ERR_USAGE',
        `SOURCE_DATE_EPOCH \`${epoch}\` is not a number of seconds`,
        {
          hint: 'set it to a Unix time, e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`',
        },
      );
    }
    return new Date(Number(epoch) * 1000).toISOString();
  }
  return revision?.time ?? new Date().toISOString();
}

/** The manifest annotations from `[package]`, the version and the git revision. */
export function publishAnnotations(
  meta: NonNullable<PackageSection['meta']>,
  version: string,
  revision: GitRevision | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, annotation] of Object.entries(ANNOTATION_OF)) {
    const value = meta[key as keyof typeof ANNOTATION_OF];
    if (value !== undefined) out[annotation] = value;
  }
  if (meta.authors !== undefined && meta.authors.length > 0)
    out[`${OCI}.authors`] = meta.authors.join(', ');
  if (out[ANNOTATION_OF.revision] === undefined && revision !== undefined)
    out[ANNOTATION_OF.revision] = revision.commit;
  out[`${OCI}.version`] = version;
  return out;
}
