/**
 * OCI references: `host[:port]/path[:tag][@sha256:...]`, and `oci-layout:<dir>[:<tag>|@<digest>]`
 * for an OCI image layout folder.
 *
 * Grammar (opencontainers/distribution-spec `spec.md`, "Pulling manifests"): the repository name
 * matches `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, tags match
 * `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. The host part is required (no Docker Hub defaulting):
 * the first path segment is a host when it holds a `.` or `:` or is `localhost`.
 */
import type { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { isSha256Digest } from './digest.js';
import { isValidRegistryHost, registryHostProblem } from '../host.js';

/** A reference into a registry. At least one of `tag` and `digest` is set after parsing. */
export interface RegistryReference {
  kind: 'registry';
  /** `host[:port]`, lower-cased. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** A reference into an OCI image layout folder (`oci-layout:<dir>:<tag>`). */
export interface LayoutReference {
  kind: 'layout';
  /** The folder, as written (resolve it against the working directory). */
  dir: string;
  tag?: string;
  digest?: string;
}

export type OciReference = RegistryReference | LayoutReference;

const REPOSITORY =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const MAX_NAME = 255;

export const LAYOUT_PREFIX = 'oci-layout:';

/** True when `name` is a valid repository name. */
export function isValidRepository(name: string): boolean {
  return name.length <= MAX_NAME && REPOSITORY.test(name);
}

export { isValidRegistryHost };

/** True when `tag` is a valid tag. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

function invalid(text: string, why: string): WitDepsError {
  return ociError('invalid-reference', { reference: text, problem: why });
}

/** Splits a trailing `@digest` off `text`. */
function splitDigest(text: string, whole: string): { rest: string; digest?: string } {
  const at = text.lastIndexOf('@');
  if (at < 0) return { rest: text };
  const digest = text.slice(at + 1);
  if (!isSha256Digest(digest)) throw invalid(whole, `has an invalid digest \`${digest}\``);
  return { rest: text.slice(0, at), digest };
}

function parseLayout(text: string, allowBare: boolean): LayoutReference {
  const { rest, digest } = splitDigest(text.slice(LAYOUT_PREFIX.length), text);
  const colon = rest.lastIndexOf(':');
  // a Windows drive letter (`C:\x`) or a path with no tag keeps the whole string as the folder
  const hasTag = colon > 1 && !/[/\\]/.test(rest.slice(colon + 1));
  const dir = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : undefined;
  if (dir === '') throw invalid(text, 'names no folder');
  if (tag !== undefined && !isValidTag(tag)) throw invalid(text, `has an invalid tag \`${tag}\``);
  if (tag === undefined && digest === undefined && !allowBare)
    throw invalid(text, 'names no tag or digest');
  return {
    kind: 'layout',
    dir,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * Parses a reference. `defaultTag` is used when neither a tag nor a digest is given; without
 * it such a reference is rejected (set `allowBare` to accept a repository-only reference, as
 * `oci tags` does).
 */
export function parseReference(
  text: string,
  options: { defaultTag?: string; allowBare?: boolean } = {},
): OciReference {
  if (text.startsWith(LAYOUT_PREFIX)) return parseLayout(text, options.allowBare === true);
  const { rest, digest } = splitDigest(text, text);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw invalid(text, 'has no registry host');
  const registry = rest.slice(0, slash).toLowerCase();
  const hostProblem = registryHostProblem(registry);
  if (hostProblem !== undefined)
    throw invalid(text, `has an invalid registry host \`${registry}\` (${hostProblem})`);
  if (!/[.:]/.test(registry) && registry !== 'localhost')
    throw invalid(text, `has no registry host (\`${registry}\` is not a host)`);
  const pathAndTag = rest.slice(slash + 1);
  const colon = pathAndTag.lastIndexOf(':');
  const repository = colon < 0 ? pathAndTag : pathAndTag.slice(0, colon);
  let tag = colon < 0 ? undefined : pathAndTag.slice(colon + 1);
  if (!isValidRepository(repository)) {
    throw invalid(text, `has an invalid repository name \`${repository}\``);
  }
  if (tag !== undefined && !isValidTag(tag)) throw invalid(text, `has an invalid tag \`${tag}\``);
  if (tag === undefined && digest === undefined) {
    if (options.defaultTag !== undefined) tag = options.defaultTag;
    else if (options.allowBare !== true) throw invalid(text, 'names no tag or digest');
  }
  return {
    kind: 'registry',
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The canonical text of a reference (inverse of {@link parseReference}). */
export function formatReference(ref: OciReference): string {
  const base =
    ref.kind === 'layout' ? `${LAYOUT_PREFIX}${ref.dir}` : `${ref.registry}/${ref.repository}`;
  return (
    base +
    (ref.tag === undefined ? '' : `:${ref.tag}`) +
    (ref.digest === undefined ? '' : `@${ref.digest}`)
  );
}

/** What to ask a registry for: the digest when known (immutable), else the tag. */
export function manifestSelector(ref: { tag?: string; digest?: string }): string {
  const selector = ref.digest ?? ref.tag;
  if (selector === undefined) throw ociError('reference-no-selector', {});
  return selector;
}

/** The host without its port (`127.0.0.1:5000` → `127.0.0.1`). */
export function hostName(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.lastIndexOf(':');
  return colon < 0 ? registry : registry.slice(0, colon);
}

/** True for registries spoken to over plain http by default: `localhost` and loopback addresses. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = hostName(registry);
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * Which registries are spoken to over plain http: a list of `host:port` or bare hosts, or a
 * function the caller resolved its settings into (`settingsFor(host).insecure`).
 */
export type InsecureRegistries = readonly string[] | ((registry: string) => boolean);

/** True when `registry` is marked insecure (listed by `host:port` or by bare host). */
export function isInsecure(registry: string, insecure: InsecureRegistries | undefined): boolean {
  if (insecure === undefined) return false;
  if (typeof insecure === 'function') return insecure(registry);
  return insecure.some((entry) => entry === registry || entry === hostName(registry));
}
