/**
 * `wit-deps verify`: checks, without network, that every locked package's `wit/deps` folder
 * exists, was written from the locked digest and still holds the files its marker recorded
 * (re-hashed; a changed byte names the file). When the cache or the vendor folder (`vendor/oci`)
 * holds the layer it is re-hashed and decoded too; with neither (a fresh CI machine with a
 * committed wit/deps) the folder and its marker are what is checked. Path dependencies (not in the lock) are read
 * from their path: their folder must exist, hold the files its marker recorded, and have been
 * written from the path's current source. Fails with `ERR_VERIFY_FAILED` listing problems.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { readMarker, recordedFileProblem } from '../../project/deps-io.js';
import type { FolderMarker } from '../../project/deps-layout.js';
import { depsFolderName } from '../../resolve/package-name.js';
import { decodeChecked } from '../source/checked-decode.js';
import { readPathPackage } from '../source/path-packages.js';
import type { ProjectInputs, ProjectOptions } from '../project/project-inputs.js';
import { withProject } from '../project/project-handle.js';
import { VENDOR_DIR, Vendored } from '../source/vendored.js';

/** One problem found. */
export interface VerifyProblem {
  id: string;
  problem: string;
}

async function checkFiles(
  id: string,
  folder: string,
  marker: FolderMarker,
  problems: VerifyProblem[],
): Promise<void> {
  for (const [file, hash] of Object.entries(marker.files)) {
    // a FIFO, a device or a symlink out of wit/deps is reported, never read
    const problem = await recordedFileProblem(folder, file, hash);
    if (problem !== undefined) problems.push({ id, problem });
  }
}

/** The marker of a folder, or a problem when it cannot be read (a FIFO, too large). */
async function markerOf(
  id: string,
  folder: string,
  problems: VerifyProblem[],
): Promise<FolderMarker | undefined | false> {
  try {
    return await readMarker(folder);
  } catch (error) {
    if (!isWitDepsError(error)) throw error;
    problems.push({ id, problem: error.message });
    return false;
  }
}

/** A folder without our marker: missing (install restores it) or the user's (install leaves it). */
async function noMarker(folder: string, name: string): Promise<string> {
  const exists = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return exists
    ? `wit/deps folder \`${name}\` was not created by wit-deps (install leaves it alone: move it away first)`
    : `wit/deps folder \`${name}\` is missing`;
}

/**
 * The layer of a locked version from the cache, else from the vendor folder (both verified);
 * undefined when neither holds it: the folder and its marker are then the proof.
 */
async function layerOf(
  project: ProjectInputs,
  vendored: Vendored,
  name: string,
  locked: { version: string; digest: string },
): Promise<Uint8Array | undefined> {
  const cached = await project.cache.read(locked.digest);
  if (cached !== undefined) return cached;
  const found = await vendored.locate(name, locked.version, locked.digest);
  if (found === undefined) return undefined;
  const opened = await found.content.open();
  if (opened instanceof Uint8Array) return opened;
  const chunks: Buffer[] = [];
  for await (const chunk of opened as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Checks the folders of path dependencies against their sources; returns how many. */
async function verifyPaths(project: ProjectInputs, problems: VerifyProblem[]): Promise<number> {
  const paths = new Map(
    project.roots.flatMap((r) => (r.path === undefined ? [] : [[r.name, r.path] as const])),
  );
  for (const [name, path] of paths) {
    let pkg;
    try {
      pkg = await readPathPackage(project.root, name, path);
    } catch (error) {
      if (!isWitDepsError(error)) throw error;
      problems.push({ id: name, problem: error.message });
      continue;
    }
    const id = pkg.version === undefined ? name : `${name}@${pkg.version}`;
    const folderName = depsFolderName(name, pkg.version);
    const folder = join(project.depsDir, folderName);
    const marker = await markerOf(id, folder, problems);
    if (marker === false) continue;
    if (marker === undefined) {
      problems.push({ id, problem: await noMarker(folder, folderName) });
      continue;
    }
    if (marker.digest !== pkg.digest)
      problems.push({ id, problem: `folder was written from an older version of \`${path}\`` });
    await checkFiles(id, folder, marker, problems);
  }
  return paths.size;
}

/** `wit-deps verify`. */
export async function verify(
  options: ProjectOptions,
): Promise<{ checked: number; paths: number; problems: VerifyProblem[] }> {
  // withProject first finishes an install killed while committing (nothing is read half-written)
  const project = await withProject(options, { mode: 'read' }, (handle) => handle.read());
  const vendored = new Vendored(join(project.root, VENDOR_DIR));
  const problems: VerifyProblem[] = [];
  let checked = 0;
  for (const pkg of project.lock.packages)
    for (const v of pkg.versions) {
      const id = `${pkg.name}@${v.version}`;
      if (problems.some((p) => p.id === id)) continue;
      checked++;
      const bytes = await layerOf(project, vendored, pkg.name, v).catch((error: unknown) => {
        if (!isWitDepsError(error)) throw error;
        problems.push({ id, problem: error.message });
        return undefined;
      });
      if (bytes !== undefined)
        await decodeChecked(id, v.digest, bytes).catch((error: unknown) => {
          if (!isWitDepsError(error)) throw error;
          problems.push({ id, problem: error.message });
        });
      const folder = join(project.depsDir, depsFolderName(pkg.name, v.version));
      const marker = await markerOf(id, folder, problems);
      if (marker === false) continue;
      if (marker === undefined) {
        problems.push({ id, problem: await noMarker(folder, depsFolderName(pkg.name, v.version)) });
        continue;
      }
      if (marker.digest !== v.digest)
        problems.push({
          id,
          problem: `folder was written from ${marker.digest}, lock says ${v.digest}`,
        });
      await checkFiles(id, folder, marker, problems);
    }
  const paths = await verifyPaths(project, problems);
  if (problems.length > 0)
    throw new WitDepsError(
      'ERR_VERIFY_FAILED',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found: ${problems.map((p) => `${p.id}: ${p.problem}`).join('; ')}`,
      {
        hint: 'run `wit-deps install` to restore wit/deps and the cache from the lock',
        details: { problems },
      },
    );
  return { checked, paths, problems };
}
