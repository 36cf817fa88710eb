/**
 * The errors of `registry/` as data — where a package lives, discovery, configuration files and
 * credentials — and the one place their message and hint are written. Pure.
 */
import { errorMaker, errorVariant, type ErrorText, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';
import { REGISTRY_HOST_HINT } from '../host.js';
import { ociText, type NetworkDetails } from '../oci/error-text.js';

const DISCOVERY_HINT =
  'map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml to skip discovery';

/** How a credential helper run ended badly. */
export interface HelperFailure {
  status: number | null;
  signal?: string | undefined;
  /** It printed more than `outputCap` bytes. */
  overflow: boolean;
  outputCap: number;
  timeoutSeconds: number;
}

function failureText(f: HelperFailure): string {
  if (f.overflow) return `printed more than ${f.outputCap} bytes`;
  if (f.status === null)
    return `was stopped (${f.signal ?? 'killed'}; timeout ${f.timeoutSeconds} s)`;
  return `failed with exit status ${f.status}`;
}

const discoveryTable = {
  'registry-unknown': errorVariant(
    'ERR_REGISTRY_UNKNOWN',
    (d: { package: string; namespace: string }) => ({
      message: `no registry is configured for namespace \`${d.namespace}\` (package \`${d.package}\`)`,
      hint: `add \`[registries] ${d.namespace} = "registry.example.com"\` (or \`{ oci = "host", prefix = "org/" }\`) to wit.toml`,
    }),
  ),
  'discovery-failed': errorVariant(
    'ERR_DISCOVERY_FAILED',
    (d: { registry: string; url: string; problem: string }) => ({
      message: `registry \`${d.registry}\` ${d.problem}`,
      hint: DISCOVERY_HINT,
    }),
  ),
  'discovery-status': errorVariant(
    'ERR_DISCOVERY_FAILED',
    (d: { registry: string; url: string; status: number }) => ({
      message: `registry \`${d.registry}\` answered ${d.status} for its .well-known metadata`,
      hint: DISCOVERY_HINT,
    }),
  ),
  // the connection's own hint (nothing answers, a timeout, plain http) says what to do
  'discovery-unreachable': errorVariant(
    'ERR_DISCOVERY_FAILED',
    (d: {
      registry: string;
      url: string;
      reason?: string | undefined;
      network: NetworkDetails;
    }) => ({
      message: `registry \`${d.registry}\` could not be reached for discovery${d.reason === undefined ? '' : `: ${d.reason}`}`,
      hint: ociText(d.network).hint ?? DISCOVERY_HINT,
    }),
  ),
  'metadata-invalid': errorVariant(
    'ERR_DISCOVERY_FAILED',
    (d: { registry: string; problem: string }) => ({
      message: `registry metadata of \`${d.registry}\` ${d.problem}`,
      hint: 'map the namespace explicitly in wit.toml: `[registries] ns = { oci = "host", prefix = "org/" }`',
    }),
  ),
  'discovery-offline': errorVariant('ERR_OFFLINE', (d: { registry: string }) => ({
    message: `registry \`${d.registry}\` has not been discovered yet and --offline was given`,
    hint: 'run once without `--offline`, or map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml',
  })),
};

const configTable = {
  'config-invalid': errorVariant(
    'ERR_CONFIG_INVALID',
    (d: { file: string; key: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file} ${d.problem}`,
      hint: `fix ${d.file} (see docs/configuration.md), or pass another file with \`--config\``,
    }),
  ),
  'config-host-invalid': errorVariant(
    'ERR_CONFIG_INVALID',
    (d: { file: string; key: string; value: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file}: \`${d.value}\` is not a valid registry host: ${d.problem}`,
      hint: `${REGISTRY_HOST_HINT} in ${d.file}`,
    }),
  ),
  // inline metadata checked as a .well-known answer: that check's problem, under the config key
  'config-metadata-invalid': errorVariant(
    'ERR_CONFIG_INVALID',
    (d: { file: string; key: string; registry: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file}: registry metadata of \`${d.registry}\` ${d.problem}`,
      hint: `fix the inline metadata in ${d.file}: ${REGISTRY_HOST_HINT}, and a prefix ending in \`/\``,
    }),
  ),
  'config-unreadable': errorVariant('ERR_CONFIG_INVALID', (d: { path: string }) => ({
    message: `config file \`${d.path}\` could not be read`,
    hint: 'check the `--config` / `WKG_CONFIG_FILE` path',
  })),
  'registries-conf-invalid': errorVariant(
    'ERR_CONFIG_INVALID',
    (d: { file: string; key: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file} ${d.problem}`,
      hint: `fix ${d.file} (see containers-registries.conf(5)), or point \`CONTAINERS_REGISTRIES_CONF\` at another file`,
    }),
  ),
  'mirrors-invalid': errorVariant(
    'ERR_MANIFEST_INVALID',
    (d: { file: string; key: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file} ${d.problem}`,
      hint: `fix \`${d.key}\` in ${d.file} (see docs/configuration.md, "Mirrors")`,
    }),
  ),
  'registries-conf-unreadable': errorVariant('ERR_CONFIG_INVALID', (d: { path: string }) => ({
    message: `registries.conf \`${d.path}\` could not be read`,
    hint: 'check the file, or point `CONTAINERS_REGISTRIES_CONF` at another file',
  })),
  'drop-ins-unreadable': errorVariant('ERR_CONFIG_INVALID', (d: { path: string }) => ({
    message: `drop-in folder \`${d.path}\` could not be read`,
  })),
};

const credentialTable = {
  'token-unprintable': errorVariant('ERR_CREDENTIALS', (d: { source: string }) => ({
    message: `the token in \`${d.source}\` holds characters a header cannot carry`,
    hint: `check \`${d.source}\` for stray spaces or line breaks`,
  })),
  'docker-config-unreadable': errorVariant('ERR_CREDENTIALS', (d: { path: string }) => ({
    message: `docker config \`${d.path}\` could not be read`,
  })),
  'docker-config-not-json': errorVariant('ERR_CREDENTIALS', (d: { path: string }) => ({
    message: `docker config \`${d.path}\` is not valid JSON`,
    hint: 'fix the file or point `DOCKER_CONFIG` at another folder',
  })),
  'docker-config-not-object': errorVariant('ERR_CREDENTIALS', (d: { path: string }) => ({
    message: `docker config \`${d.path}\` is not a JSON object`,
    hint: 'fix the file, or point `DOCKER_CONFIG` at another folder',
  })),
  'helper-name-invalid': errorVariant('ERR_CREDENTIALS', (d: { name: string }) => ({
    message: `credential helper name \`${d.name}\` is not valid (letters, digits, \`.\`, \`_\`, \`-\`)`,
    hint: 'fix `credHelpers`/`credsStore` in your docker config',
  })),
  'helper-not-run': errorVariant('ERR_CREDENTIALS', (d: { program: string; name: string }) => ({
    message: `credential helper \`${d.program}\` could not be run`,
    hint: `install \`${d.program}\` on PATH, or remove \`${d.name}\` from \`credHelpers\`/\`credsStore\` in your docker config`,
  })),
  'helper-not-json': errorVariant('ERR_CREDENTIALS', (d: { program: string }) => ({
    message: `credential helper \`${d.program}\` printed something that is not JSON`,
  })),
  'helper-get-failed': errorVariant(
    'ERR_CREDENTIALS',
    (d: { program: string; registry: string; failure: HelperFailure }): ErrorText => ({
      message: `credential helper \`${d.program}\` ${failureText(d.failure)}`,
      hint: `run \`echo ${d.registry} | ${d.program} get\` to see its error`,
    }),
  ),
  'helper-update-failed': errorVariant(
    'ERR_CREDENTIALS',
    (d: { program: string; name: string; action: string; failure: HelperFailure }) => ({
      message: `credential helper \`${d.program} ${d.action}\` ${failureText(d.failure)}`,
      hint: `check \`${d.program}\` works: run \`docker-credential-${d.name} list\``,
    }),
  ),
};

const table = { ...discoveryTable, ...configTable, ...credentialTable };

export type RegistryVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends RegistryVariants {}
}

/** Raises an error of `registry/`: `registryError('registry-unknown', { package, namespace })`. */
export const registryError = errorMaker(table);
