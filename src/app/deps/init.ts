/**
 * `wit-deps init`: writes a `wit.toml` whose dependencies are the foreign packages the project's
 * own WIT files reference, each at the exact version referenced (`"=0.2.0"`), so installing it
 * gives the same packages wkg would fetch; with no WIT files yet, an empty `[dependencies]`.
 * Refuses to overwrite an existing `wit.toml`. The project root and WIT folder are found as for
 * every command (`project-inputs.ts`): run in a subfolder, in a WIT folder holding its own
 * `wkg.lock`, or with `-d <wit-folder>`, the `wit.toml` goes to the root, naming the WIT folder
 * under `[package] wit` when it is not `wit`.
 */
import { join, relative, sep } from 'node:path';
import { WitDepsError } from '../../errors.js';
import { addDependency } from '../../project/manifest-edit.js';
import { writeManifestFile } from '../../project/manifest-io.js';
import { witReferences } from '../../project/wit-references.js';
import { readWitSources } from '../../project/wit-sources-io.js';
import { locateProject } from '../project/project-location.js';

/** `wit-deps init`. */
export async function init(options: {
  cwd: string;
  /** `-d/--wit-dir`: the WIT folder, relative to `cwd`. */
  wit?: string;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<{ file: string; dependencies: { name: string; requirement: string }[] }> {
  // the project root is found as every command finds it, so wit.toml lands next to wkg.lock
  const location = await locateProject({
    cwd: options.cwd,
    env: options.env ?? {},
    ...(options.wit === undefined ? {} : { witDir: options.wit }),
  });
  const { root, witDir } = location;
  const file = join(root, 'wit.toml');
  if (location.manifestFile !== undefined)
    throw new WitDepsError('ERR_USAGE', `\`${file}\` already exists`, {
      hint: 'edit it, or use `wit-deps add <pkg>`',
    });
  // no WIT yet (a new project): an empty [dependencies], to fill with `wit-deps add`
  const sources = await readWitSources(witDir, root);
  const deps = witReferences(sources).map((r) => ({
    name: r.name,
    requirement: r.version === undefined ? '*' : `=${r.version}`,
  }));
  const setting = relative(root, witDir).split(sep).join('/') || '.';
  const named = options.wit !== undefined || setting !== 'wit';
  let text = named ? `[package]\nwit = ${JSON.stringify(setting)}\n` : '';
  text = addDependencyList(text, deps);
  await writeManifestFile(root, text);
  return { file, dependencies: deps };
}

function addDependencyList(
  text: string,
  deps: readonly { name: string; requirement: string }[],
): string {
  let out = text === '' ? '[dependencies]\n' : `${text}\n[dependencies]\n`;
  for (const d of deps) out = addDependency(out, d.name, d.requirement);
  return out;
}
