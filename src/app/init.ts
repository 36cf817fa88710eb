/**
 * `wit-deps init`: writes a `wit.toml` whose dependencies are the foreign packages the project's
 * own WIT files reference, each at the exact version referenced (`"=0.2.0"`), so installing it
 * gives the same packages wkg would fetch; with no WIT files yet, an empty `[dependencies]`.
 * Refuses to overwrite an existing `wit.toml`.
 */
import { join } from 'node:path';
import { WitDepsError } from '../errors.js';
import { addDependency } from '../project/manifest-edit.js';
import { readManifestFile, writeManifestFile } from '../project/manifest-io.js';
import { witReferences } from '../project/wit-references.js';
import { readWitSources } from '../project/wit-sources-io.js';

/** `wit-deps init`. */
export async function init(options: {
  cwd: string;
  wit?: string;
}): Promise<{ file: string; dependencies: { name: string; requirement: string }[] }> {
  if ((await readManifestFile(options.cwd)) !== undefined)
    throw new WitDepsError('ERR_USAGE', `\`${join(options.cwd, 'wit.toml')}\` already exists`, {
      hint: 'edit it, or use `wit-deps add <pkg>`',
    });
  const witDir = join(options.cwd, options.wit ?? 'wit');
  // no WIT yet (a new project): an empty [dependencies], to fill with `wit-deps add`
  const sources = await readWitSources(witDir, options.cwd);
  const deps = witReferences(sources).map((r) => ({
    name: r.name,
    requirement: r.version === undefined ? '*' : `=${r.version}`,
  }));
  let text = options.wit === undefined ? '' : `[package]\nwit = ${JSON.stringify(options.wit)}\n`;
  text = addDependencyList(text, deps);
  await writeManifestFile(options.cwd, text);
  return { file: join(options.cwd, 'wit.toml'), dependencies: deps };
}

function addDependencyList(
  text: string,
  deps: readonly { name: string; requirement: string }[],
): string {
  let out = text === '' ? '[dependencies]\n' : `${text}\n[dependencies]\n`;
  for (const d of deps) out = addDependency(out, d.name, d.requirement);
  return out;
}
