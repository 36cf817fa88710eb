/**
 * Carrying out an install plan on disk: write each wanted `wit/deps` folder (printed from the
 * decoded package, or a path package's files as planned; atomically per folder), remove stale folders wit-deps created, and write the
 * lock only when its bytes change (atomically). Folders the user made are never touched.
 */
import type { Cache } from '../cache/store.js';
import { WitDepsError } from '../errors.js';
import { PACKAGE_FILE } from '../project/deps-layout.js';
import { removeDepsFolder, sweepTemporaries, writeDepsFolder } from '../project/deps-io.js';
import { writeLockFile } from '../project/lock-file-io.js';
import { mapBounded } from '../resolve/driver.js';
import type { InstallPlan, PlannedPackage } from '../resolve/plan.js';
import { decodeWit, printWitPackage, type DecodedPackage } from '../wit/index.js';

/** Inputs of {@link applyPlan}. */
export interface ApplyInput {
  plan: InstallPlan;
  depsDir: string;
  root: string;
  lockText: string | undefined;
  cache: Cache;
  decoded: ReadonlyMap<string, DecodedPackage>;
  concurrency: number;
  onWrite?: (pkg: PlannedPackage) => void;
}

async function decodedOf(p: PlannedPackage, input: ApplyInput): Promise<DecodedPackage> {
  const known = input.decoded.get(p.digest);
  if (known !== undefined) return known;
  const bytes = await input.cache.read(p.digest);
  if (bytes === undefined)
    throw new WitDepsError('ERR_CACHE', `\`${p.id}\` (${p.digest}) is missing from the cache`, {
      hint: 'run `wit-deps install` again; the cache entry was removed or corrupted meanwhile',
    });
  return decodeWit(bytes);
}

async function printedOf(p: PlannedPackage, input: ApplyInput): Promise<string> {
  const decoded = await decodedOf(p, input);
  return printWitPackage(decoded.resolve, decoded.package);
}

/** Applies the plan; returns whether the lock file was written. */
export async function applyPlan(input: ApplyInput): Promise<boolean> {
  const { plan, depsDir } = input;
  await sweepTemporaries(depsDir);
  await mapBounded(plan.write, input.concurrency, async (p) => {
    const files = p.files ?? { [PACKAGE_FILE]: await printedOf(p, input) };
    await writeDepsFolder(depsDir, p.folder, files, { id: p.id, digest: p.digest });
    input.onWrite?.(p);
  });
  for (const folder of plan.remove) await removeDepsFolder(depsDir, folder);
  const noLockNeeded = input.lockText === undefined && plan.lock.packages.length === 0;
  if (noLockNeeded) return false;
  return writeLockFile(input.root, plan.lock, input.lockText);
}
