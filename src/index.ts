/**
 * The programmatic API of wit-deps.
 */
export { WitDepsError, ERROR_CODES, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
export {
  ociPull,
  ociPush,
  ociInspect,
  ociTags,
  type PullResult,
  type PushResult,
  type InspectResult,
  type TagsResult,
} from './app/oci.js';
export * as oci from './oci/index.js';
export { credentialProvider } from './registry/credentials.js';
