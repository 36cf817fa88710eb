/** The binary WIT package encoder: `encodeWitPackage(resolve, pkgId, { producersVersion })`. */
export { encodeWitPackage, type EncodeOptions } from './package.js';
