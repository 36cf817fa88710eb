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
import { READ_LIMITS, readRegularText } from '../../fs/safe-read.js';
import { readMarker, recordedFileProblem, sha256Text } from '../../project/deps-io.js';
import { PACKAGE_FILE } from '../../project/deps-layout.js';
import { witReferences } from '../../project/wit-references.js';
import { depsFolderName } from '../../resolve/package-name.js';

/** The dependencies of a package, as the resolver's facts list them. */
export type Dependencies = { name: string; version: string }[];

/**
 * The dependencies of `name@version` (layer `digest`) read from its intact `wit/deps` folder, or
 * `problem` (naming the file) when a file differs from its marker, undefined when the folder is
 * missing, not ours or of another digest.
 */
export async function folderFacts(
  depsDir: string,
  name: string,
  version: string,
  digest: string,
): Promise<{ dependencies: Dependencies } | { problem: string } | undefined> {
  const folder = depsFolderName(name, version);
  const dir = join(depsDir, folder);
  const marker = await readMarker(dir).catch(() => undefined);
  const id = `${name}@${version}`;
  if (marker === undefined || marker.id !== id || marker.digest !== digest) return undefined;
  const recorded = marker.files[PACKAGE_FILE];
  if (recorded === undefined) return undefined;
  for (const [file, hash] of Object.entries(marker.files)) {
    const problem = await recordedFileProblem(dir, file, hash);
    if (problem !== undefined) return { problem: `wit/deps/${folder}: ${problem}` };
  }
  let text: string;
  try {
    const opts = { limit: READ_LIMITS.text, root: depsDir, display: `\`${PACKAGE_FILE}\`` };
    text = await readRegularText(join(dir, PACKAGE_FILE), opts);
  } catch (error) {
    return { problem: `wit/deps/${folder}: ${String((error as Error).message)}` };
  }
  if (sha256Text(text) !== recorded)
    return { problem: `wit/deps/${folder}: \`${PACKAGE_FILE}\` was modified or removed` };
  const dependencies: Dependencies = [];
  for (const ref of witReferences([{ path: PACKAGE_FILE, text }]))
    if (ref.version !== undefined && ref.name !== name)
      dependencies.push({ name: ref.name, version: ref.version });
  return { dependencies };
}
