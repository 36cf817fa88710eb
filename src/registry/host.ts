/**
 * The registry-host grammar lives in the leaf `../registry-host.ts`, which `oci/` and `registry/`
 * both import (so `oci/` needs nothing from `registry/`). This re-export keeps the import of the
 * pure half of `project/` (`project/manifest.ts`) working; new code imports the leaf.
 */
export { REGISTRY_HOST_HINT, isValidRegistryHost, registryHostProblem } from '../registry-host.js';
