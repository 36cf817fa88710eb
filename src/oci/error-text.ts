/**
 * The errors of `oci/` as data — registry answers, connections, references, manifests, artifacts
 * and OCI layouts — and the one place their message and hint are written. `subject` names what
 * was asked (`` GET of blob `…` ``, `` tag list of `…` ``), as the caller words it. Pure.
 */
import {
  errorMaker,
  errorRenderer,
  errorVariant,
  type ErrorCode,
  type ErrorText,
  type VariantsOf,
} from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';

/** A failed registry answer. `url` is redacted (no user info, no query). */
export interface HttpFailure {
  subject: string;
  status: number;
  /** The error body, summarised and masked; absent when empty or unreadable. */
  summary?: string | undefined;
  url: string;
  host: string;
  /** `WIT_DEPS_REGISTRY_<HOST>`'s `<HOST>` for `host`, when it has one. */
  envKey?: string | undefined;
  /** A 401 although credentials were sent: where they came from, when known. */
  refused?: true | undefined;
  credentials?: string | undefined;
  bodyTruncated?: true | undefined;
}

/** The code of a failed answer's status. */
export function statusCode(status: number): ErrorCode {
  if (status === 401) return 'ERR_REGISTRY_UNAUTHORIZED';
  if (status === 403) return 'ERR_REGISTRY_DENIED';
  if (status === 404) return 'ERR_REGISTRY_NOT_FOUND';
  if (status === 429) return 'ERR_REGISTRY_RATE_LIMITED';
  return 'ERR_REGISTRY_RESPONSE';
}

const envPrefix = (d: { envKey?: string | undefined }): string =>
  `WIT_DEPS_REGISTRY_${d.envKey ?? '<HOST>'}`;

function statusHint(d: HttpFailure): string {
  if (d.refused === true) {
    if (d.credentials !== undefined)
      return `the registry \`${d.host}\` refused the credentials from ${d.credentials}: correct them there (or remove them to use the next source)`;
    return `the registry refused the credentials sent to \`${d.host}\`; check them (\`--username\`/\`--password\`, \`--token\`, \`${envPrefix(d)}_*\`, \`WKG_REGISTRY_${d.envKey ?? '<HOST>'}_AUTH_BEARER\`, or the docker config)`;
  }
  // no `--username`/`--password` here: only `oci` commands take them (they add them to this hint)
  if (d.status === 401)
    return `log in with \`docker login ${d.host}\`, or set \`${envPrefix(d)}_USERNAME\`/\`_PASSWORD\` (or \`_TOKEN\`)`;
  if (d.status === 403)
    return `check that your credentials for \`${d.host}\` may access this repository`;
  if (d.status === 404)
    return 'check the reference; `wit-deps oci tags <ref>` lists the tags of a repository';
  if (d.status === 429) return 'wait and try again, or raise `--retries`';
  return 'try again later; rerun with `--verbose` for details';
}

const httpText = (d: HttpFailure): ErrorText => ({
  message: `${d.subject} failed with HTTP ${d.status}${d.summary === undefined ? '' : `: ${d.summary}`}`,
  hint: statusHint(d),
});

/** A connection failure: `reason` is the errno (`ECONNREFUSED`) or the failure's message. */
export interface Connection {
  subject: string;
  host: string;
  url: string;
  reason: string;
  /** The time limit that was hit, as its error words it (`no answer within 30 s`). */
  limit?: string | undefined;
}

/** The details of a connection failure, as the variant it is (see `http/errors.ts`). */
export type NetworkDetails =
  | ({ kind: 'deadline-passed' | 'timed-out' | 'not-tls' } & Connection)
  | ({ kind: 'unreachable'; timeout?: true | undefined } & Connection);

const TIMEOUT_HINT =
  'the registry is slow, stalls or is out of reach: raise the timeout (`--timeout <seconds>` or `WIT_DEPS_TIMEOUT`) or check your proxy (`HTTPS_PROXY`, `NO_PROXY`)';

/** What to do about a connection failure (also the hint of a failed discovery). */
export function connectionHint(reason: string, host: string, timeout: boolean): string {
  if (reason === 'ECONNREFUSED')
    return `nothing answers at \`${host}\`: check that the registry is running and its address (wit.toml \`[registries]\`, config.toml), then run the command again`;
  if (timeout) return TIMEOUT_HINT;
  return 'check the registry address and your network or proxy (`HTTPS_PROXY`, `NO_PROXY`), then run the command again';
}

const httpTable = {
  'http-unauthorized': errorVariant('ERR_REGISTRY_UNAUTHORIZED', httpText),
  'http-denied': errorVariant('ERR_REGISTRY_DENIED', httpText),
  'http-not-found': errorVariant('ERR_REGISTRY_NOT_FOUND', httpText),
  'http-rate-limited': errorVariant('ERR_REGISTRY_RATE_LIMITED', httpText),
  'http-error': errorVariant('ERR_REGISTRY_RESPONSE', httpText),
  // a token endpoint's 401 or 403: the credentials are what is wrong
  'token-refused': errorVariant('ERR_REGISTRY_UNAUTHORIZED', httpText),
  unreachable: errorVariant('ERR_NETWORK', (d: Connection & { timeout?: true | undefined }) => ({
    message: `${d.subject} could not reach \`${d.host}\`: ${d.reason}`,
    hint: connectionHint(d.reason, d.host, d.timeout === true),
  })),
  'timed-out': errorVariant('ERR_NETWORK', (d: Connection) => ({
    message:
      d.limit !== undefined
        ? `${d.subject} timed out: \`${d.host}\` gave ${d.limit} (\`--timeout\`)`
        : `${d.subject} timed out: \`${d.host}\` sent nothing within the timeout (\`--timeout\`, ${d.reason})`,
    hint: TIMEOUT_HINT,
  })),
  'deadline-passed': errorVariant('ERR_NETWORK', (d: Connection) => ({
    message: `${d.subject} was stopped: ${d.limit ?? 'the deadline for this command passed'}`,
    hint: 'the registry is too slow for the whole command: raise the deadline (`--deadline <seconds>` or `WIT_DEPS_DEADLINE`; 0 turns it off)',
  })),
  'not-tls': errorVariant('ERR_REGISTRY_INSECURE', (d: Connection) => ({
    message: `${d.subject} got no TLS answer from \`${d.host}\` over https (a plain-http registry?)`,
    hint: `if \`${d.host}\` is a plain-http registry you trust, mark it insecure: \`{ oci = "${d.host}", insecure = true }\` under \`[registries]\` in wit.toml, \`WIT_DEPS_INSECURE_REGISTRIES=${d.host}\`, or \`--insecure\` for \`wit-deps oci\``,
  })),
  'https-downgrade': errorVariant(
    'ERR_REGISTRY_INSECURE',
    (d: { subject: string; registry: string; host: string }) => ({
      message: `${d.subject} was sent from https to plain http (\`${d.host}\`)`,
      hint: `if this is intended, mark the registry insecure with \`--insecure\` or \`WIT_DEPS_INSECURE_REGISTRIES=${d.registry}\``,
    }),
  ),
  'plain-http-realm': errorVariant(
    'ERR_REGISTRY_INSECURE',
    (d: { registry: string; realm: string }) => ({
      message: `registry \`${d.registry}\` sent its token request to \`${d.realm}\` over plain http`,
      hint: `credentials and tokens would cross the network unencrypted; if this is intended, add \`${d.realm}\` to \`WIT_DEPS_INSECURE_REGISTRIES\``,
    }),
  ),
  'too-many-redirects': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { subject: string; limit: number }) => ({
      message: `${d.subject} was redirected more than ${d.limit} times`,
    }),
  ),
  'bearer-no-realm': errorVariant('ERR_REGISTRY_RESPONSE', (d: { registry: string }) => ({
    message: `registry \`${d.registry}\` sent a Bearer challenge with no usable realm`,
    hint: 'the registry is misconfigured; contact its operator',
  })),
  'token-response-invalid': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { registry: string; problem: string }) => ({
      message: `token response for \`${d.registry}\` ${d.problem}`,
    }),
  ),
  'upload-no-location': errorVariant('ERR_REGISTRY_RESPONSE', (d: { subject: string }) => ({
    message: `${d.subject}: the registry sent no upload \`Location\``,
  })),
  'range-refused': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { subject: string; status: number }) => ({
      message: `${d.subject} answered a range request with HTTP ${d.status}`,
    }),
  ),
  'tag-list-invalid': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { subject: string; problem: string }) => ({ message: `${d.subject} ${d.problem}` }),
  ),
  'too-many-tag-pages': errorVariant(
    'ERR_REGISTRY_TOO_MANY_PAGES',
    (d: { repository: string; limit: number }) => ({
      message: `tag list of \`${d.repository}\` has more than ${d.limit} pages`,
      hint: 'raise `--max-tag-pages` (or `WIT_DEPS_MAX_TAG_PAGES`)',
    }),
  ),
  'tag-list-too-long': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { subject: string; limit: number; unit: 'tags' | 'bytes' }) => ({
      message: `${d.subject} has more than ${d.limit} ${d.unit}`,
      hint: 'the registry lists far more tags than a package has versions; report it to the registry operator (an install from wkg.lock, `wit-deps install --locked`, lists no tags)',
    }),
  ),
  'response-too-large': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { subject: string; limit: number }) => ({
      message: `${d.subject} is larger than ${d.limit} bytes`,
    }),
  ),
  'blob-too-large': errorVariant('ERR_LIMIT_EXCEEDED', (d: { subject: string; limit: number }) => ({
    message: `${d.subject} is larger than ${d.limit} bytes`,
    hint: 'the registry serves another blob under this digest, or the package is too large',
  })),
  'blob-too-large-for-memory': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { subject: string; size: number; limit: number }) => ({
      message: `${d.subject} is ${d.size} bytes, more than ${d.limit} in memory`,
      hint: 'pull it to a file with `wit-deps oci pull <ref> -o <file>`',
    }),
  ),
  'manifest-digest-mismatch': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: { subject: string; expected: string; actual: string }) => ({
      message: `${d.subject} has digest \`${d.actual}\`, expected \`${d.expected}\``,
      hint: 'the registry served different content than it announced; try again, or report it to the registry operator',
    }),
  ),
  'unsupported-digest': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: { subject: string; digest: string }) => ({
      message: `${d.subject} has unsupported digest \`${d.digest}\``,
      hint: 'only sha256 digests are supported',
    }),
  ),
};

const ARCHIVE_URL = {
  'url-not-https': errorVariant('ERR_USAGE', (d: { subject: string; url: string }) => ({
    message: `${d.subject}: \`${d.url}\` is not an https URL`,
    hint: 'use an https URL, or `path = "..."` for a folder on disk',
  })),
  'url-plain-http': errorVariant(
    'ERR_REGISTRY_INSECURE',
    (d: { subject: string; url: string }) => ({
      message: `${d.subject}: \`${d.url}\` is not an https URL`,
      hint: 'use the https URL of the archive (plain http is taken only from localhost)',
    }),
  ),
  'url-redirect-downgrade': errorVariant(
    'ERR_REGISTRY_INSECURE',
    (d: { subject: string; url: string }) => ({
      message: `${d.subject}: https redirected to \`${d.url}\``,
    }),
  ),
  'url-too-many-redirects': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { subject: string; limit: number }) => ({
      message: `${d.subject}: more than ${d.limit} redirects`,
    }),
  ),
  'download-too-large': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { subject: string; url: string; limit: number }) => ({
      message: `${d.subject}: the download is larger than ${d.limit} bytes`,
    }),
  ),
};

const REFERENCE_HINT =
  'write it as `host[:port]/repository:tag`, `host/repository@sha256:<hex>` or `oci-layout:<dir>:<tag>`';
const ARTIFACT_HINT =
  'the reference must name a Wasm OCI artifact (config `application/vnd.wasm.config.v0+json`, one `application/wasm` layer)';

const formatTable = {
  'invalid-reference': errorVariant(
    'ERR_INVALID_REFERENCE',
    (d: { reference: string; problem: string }) => ({
      message: `reference \`${d.reference}\` ${d.problem}`,
      hint: REFERENCE_HINT,
    }),
  ),
  'reference-no-selector': errorVariant('ERR_INVALID_REFERENCE', (_: Record<string, never>) => ({
    message: 'reference names no tag or digest',
  })),
  'manifest-malformed': errorVariant(
    'ERR_REGISTRY_RESPONSE',
    (d: { problem: string; digest?: unknown; size?: unknown; cause?: string }) => ({
      message: d.problem,
      hint: 'the registry returned a malformed manifest; check the reference with `wit-deps oci inspect`',
    }),
  ),
  'media-type-unsupported': errorVariant(
    'ERR_MANIFEST_UNSUPPORTED',
    (d: { mediaType: string }) => ({
      message: `manifest media type \`${d.mediaType}\` is not supported`,
      hint: 'only OCI image manifests and indexes (and Docker v2 manifests) can be read',
    }),
  ),
  'index-too-deep': errorVariant(
    'ERR_MANIFEST_UNSUPPORTED',
    (d: { reference: string; limit: number }) => ({
      message: `index \`${d.reference}\` is nested more than ${d.limit} levels deep`,
      hint: 'the reference must name a Wasm OCI artifact or an index of them',
    }),
  ),
  'index-no-wasm': errorVariant('ERR_ARTIFACT_INVALID', (d: { platforms: (string | null)[] }) => {
    const named = d.platforms.filter((p): p is string => p !== null);
    const listed = named.length === 0 ? '' : ` (it has ${named.slice(0, 5).join(', ')})`;
    return {
      message: `index has no entry for platform \`wasm\`${listed}`,
      hint: 'the reference names a multi-platform image, not a Wasm artifact',
    };
  }),
  'artifact-invalid': errorVariant(
    'ERR_ARTIFACT_INVALID',
    (d: { problem: string; layers?: string[]; architecture?: unknown }) => ({
      message: d.problem,
      hint: ARTIFACT_HINT,
    }),
  ),
  blocked: errorVariant('ERR_REGISTRY_BLOCKED', (d: { reference: string; source: string }) => ({
    message: `\`${d.reference}\` is blocked by ${d.source} (\`blocked = true\`)`,
    hint: 'remove `blocked = true` from that entry, or map the namespace to another registry under `[registries]` in wit.toml',
  })),
};

const LAYOUT_HINT =
  'an OCI image layout needs `oci-layout`, `index.json` and `blobs/sha256/`; `skopeo copy ... oci:<dir>:<tag>` writes one';
const REBUILD_HINT =
  'rebuild the layout (`wit-deps vendor`, or `skopeo copy ... oci:<dir>:<tag>`); blobs must be regular files inside it';

const layoutTable = {
  'layout-invalid': errorVariant('ERR_LAYOUT_INVALID', (d: { dir: string; problem: string }) => ({
    message: `OCI layout \`${d.dir}\` ${d.problem}`,
    hint: LAYOUT_HINT,
  })),
  'layout-index-invalid': errorVariant('ERR_LAYOUT_INVALID', (d: { dir: string }) => ({
    message: `OCI layout \`${d.dir}\` has an invalid \`index.json\``,
  })),
  'layout-missing': errorVariant('ERR_REGISTRY_NOT_FOUND', (d: { dir: string }) => ({
    message: `OCI layout \`${d.dir}\` does not exist`,
    hint: 'check the folder name (a namespace layout holds one folder per package name)',
  })),
  'layout-no-manifest': errorVariant(
    'ERR_REGISTRY_NOT_FOUND',
    (d: { dir: string; reference: string }) => ({
      message: `OCI layout \`${d.dir}\` has no manifest \`${d.reference}\``,
      hint: `list its tags with \`wit-deps oci tags oci-layout:${d.dir}\``,
    }),
  ),
  'layout-no-blob': errorVariant(
    'ERR_REGISTRY_NOT_FOUND',
    (d: { dir: string; digest: string }) => ({
      message: `OCI layout \`${d.dir}\` has no blob \`${d.digest}\``,
      hint: 'run `wit-deps vendor` again',
    }),
  ),
  // a file of the layout the safe read refused (or missing): `problem` is the read's own message
  'layout-file-invalid': errorVariant('ERR_LAYOUT_INVALID', (d: { problem: string }) => ({
    message: d.problem,
    hint: REBUILD_HINT,
  })),
  'layout-blob-over-cap': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { subject: string; size: number; limit: number }) => ({
      message: `${d.subject} is announced as ${d.size} bytes, more than the ${d.limit} read into memory`,
      hint: REBUILD_HINT,
    }),
  ),
  'layout-unreadable': errorVariant('ERR_FS', (d: { subject: string; reason: string }) => ({
    message: `${d.subject} could not be read (${d.reason})`,
    hint: 'check the permissions of the layout folder',
  })),
  'output-unwritable': errorVariant('ERR_FS', (d: { path: string; errno: string }) => ({
    message: `\`${d.path}\` could not be written (${d.errno})`,
    hint: 'check the output path (`-o` names a file, not a folder), its permissions and free space',
  })),
};

const table = { ...httpTable, ...ARCHIVE_URL, ...formatTable, ...layoutTable };

export type OciVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends OciVariants {}
}

/** Raises an error of `oci/`: `ociError('blocked', { reference, source })`. */
export const ociError = errorMaker(table);

/** The text of an `oci/` variant's details (another area's renderer quoting it). */
export const ociText = errorRenderer(table);
