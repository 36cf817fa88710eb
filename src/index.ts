/**
 * The programmatic API of wit-deps.
 */
export { WitDepsError, ERROR_CODES, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
