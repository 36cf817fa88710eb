/**
 * A committed `wit/deps` folder as the source of a locked package's facts: when the folder of
 * `name@version` carries a wit-deps marker for that id and the locked digest, and every file the
 * marker records still has its recorded sha256, the package's dependencies are read from the
 * printed `package.wit` (its foreign `use`/`include` references, as `wit-references.ts` finds
 * them). Install then needs neither the cache nor the network for a package whose folder is
 * already what the lock says (a fresh CI machine with a committed wit/deps).
 *
 * What this trusts: the marker and the folder are project files, as untrusted as the lock; they
 * are only ever used to leave the folder as it is, never to write a package, and a folder whose
 * bytes differ from its marker is not used (install writes it again from the cache or registry).
 */
import { join } from 'node:path';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { filesIntact, readMarker, sha256Text } from '../project/deps-io.js';
import { PACKAGE_FILE } from '../project/deps-layout.js';
import { witReferences } from '../project/wit-references.js';
import { depsFolderName } from '../resolve/package-name.js';

/** The dependencies of a package, as the resolver's facts list them. */
export type Dependencies = { name: string; version: string }[];

/**
 * The dependencies of `name@version` (layer `digest`) read from its intact `wit/deps` folder, or
 * undefined when the folder is missing, not ours, of another digest or modified.
 */
export async function folderFacts(
  depsDir: string,
  name: string,
  version: string,
  digest: string,
): Promise<Dependencies | undefined> {
  const dir = join(depsDir, depsFolderName(name, version));
  const marker = await readMarker(dir).catch(() => undefined);
  const id = `${name}@${version}`;
  if (marker === undefined || marker.id !== id || marker.digest !== digest) return undefined;
  const recorded = marker.files[PACKAGE_FILE];
  if (recorded === undefined || !(await filesIntact(dir, marker))) return undefined;
  let text: string;
  try {
    const opts = { limit: READ_LIMITS.text, root: depsDir, display: `\`${PACKAGE_FILE}\`` };
    text = await readRegularText(join(dir, PACKAGE_FILE), opts);
  } catch {
    return undefined;
  }
  if (sha256Text(text) !== recorded) return undefined;
  const deps: Dependencies = [];
  for (const ref of witReferences([{ path: PACKAGE_FILE, text }]))
    if (ref.version !== undefined && ref.name !== name)
      deps.push({ name: ref.name, version: ref.version });
  return deps;
}
