/**
 * Taking over a `wit/deps` another tool wrote (docs/migrating-from-wkg.md, "Committed wit/deps").
 *
 * A folder without a wit-deps marker is the user's, except when its WIT declares a package version
 * this install writes (the plan lists it in `takeover`, `resolve/plan.ts`):
 * - at the wanted name (wkg writes `wit/deps/wasi-io-0.2.0/package.wit`): when its files are
 *   exactly what wit-deps would write, it is adopted (the commit adds the marker, the text stays
 *   byte for byte); otherwise it is a wkg-managed copy of that package and is replaced;
 * - under another name (the Rust wit-deps tool's `wit/deps/io/`), next to the folder wit-deps
 *   writes, wit-parser would find the package defined twice: it is removed when it is clearly a
 *   copy of the same package version (only `*.wit` files, declaring that package with the same
 *   foreign references), and otherwise the install fails naming both folders.
 * Both go through the journaled commit (`apply-plan.ts`), whose checks see every folder taken over.
 * A folder whose WIT declares another package, cannot be read, or is a symbolic link is never
 * taken over.
 */
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { readUnmarkedFolder, type UnmarkedFolder } from '../../project/deps-io.js';
import { isPlainSegment } from '../../resolve/package-name.js';
import type {
  ExistingFolder,
  InstallPlan,
  PlannedPackage,
  TakeoverCandidate,
} from '../../resolve/plan.js';

/** A folder taken over: adopted as it is (marker added) or replaced by the installed package. */
export interface TakenOver {
  /** The folder as it was in `wit/deps`. */
  folder: string;
  /** The package installed in its place. */
  id: string;
  /** The folder the package is installed in (the same one unless a copy of another name went). */
  installedAs: string;
  action: 'adopted' | 'replaced';
}

/** The unmarked folders' contents, by folder name (read once, before planning). */
export type UnmarkedContents = ReadonlyMap<string, UnmarkedFolder>;

type Outline = (files: readonly { path: string; text: string }[]) => {
  name: string;
  references: string[];
};

async function outliner(): Promise<Outline> {
  // the WIT text toolchain is loaded only when wit/deps holds folders without a marker
  const { outlineWitPackage } = await import('../../wit/parse.js');
  const { formatPackageName } = await import('../../wit/model.js');
  return (files) => {
    const o = outlineWitPackage(files);
    return {
      name: formatPackageName(o.name),
      references: o.references.map((r) => `${r.name}@${r.version ?? ''}`),
    };
  };
}

/** The outline of a folder's files, or undefined when they do not parse or declare no package. */
function outlineOf(outline: Outline, folder: string, wit: UnmarkedFolder['wit']) {
  if (wit.length === 0) return undefined;
  try {
    return outline(wit.map((f) => ({ path: `wit/deps/${folder}/${f.name}`, text: f.text })));
  } catch (error) {
    if (isWitDepsError(error)) return undefined;
    throw error;
  }
}

/**
 * Reads every folder without a marker and sets `defines` to the package its WIT declares.
 * Returns what was read, for {@link settleTakeovers}.
 */
export async function describeUnmarked(
  depsDir: string,
  existing: ExistingFolder[],
): Promise<UnmarkedContents> {
  const contents = new Map<string, UnmarkedFolder>();
  const unmarked = existing.filter((e) => e.marker === undefined);
  if (unmarked.length === 0) return contents;
  const outline = await outliner();
  for (const e of unmarked) {
    const read = await readUnmarkedFolder(depsDir, e.folder);
    if (read === undefined) continue;
    contents.set(e.folder, read);
    const name = outlineOf(outline, e.folder, read.wit)?.name;
    if (name !== undefined) e.defines = name;
  }
  return contents;
}

/** The files wit-deps writes for a planned package (printed, or a path package's own). */
export type FilesOf = (pkg: PlannedPackage) => Promise<Readonly<Record<string, string>>>;

/** The files `wit` would adopt as they are, or undefined when they differ from `files`. */
function adoptable(
  read: UnmarkedFolder,
  files: Readonly<Record<string, string>>,
): Record<string, string> | undefined {
  if (read.others.length > 0) return undefined;
  const ours = Object.entries(files);
  const theirs = Object.fromEntries(read.wit.map((f) => [f.name, f.text]));
  if (ours.length === read.wit.length && ours.every(([name, text]) => theirs[name] === text))
    return { ...files };
  // one file under another name (wkg and wit-deps both write one file per package)
  if (ours.length === 1 && read.wit.length === 1 && read.wit[0]!.text === ours[0]![1])
    return { [read.wit[0]!.name]: read.wit[0]!.text };
  return undefined;
}

function twoLocations(c: TakeoverCandidate, why: string): WitDepsError {
  return new WitDepsError(
    'ERR_WIT_RESOLVE',
    `package \`${c.pkg.id}\` would be defined in two folders: wit/deps/${c.folder} (not written by wit-deps) and wit/deps/${c.pkg.folder}`,
    {
      hint: `wit/deps/${c.folder} ${why}, so wit-deps leaves it alone: move it out of wit/deps (wit-deps installs \`${c.pkg.id}\` as wit/deps/${c.pkg.folder}), or remove \`${c.pkg.name}\` from wit.toml and the WIT to keep your copy; then run \`wit-deps install\``,
      details: { folder: c.folder, installedAs: c.pkg.folder, package: c.pkg.id },
    },
  );
}

/** Whether a folder of another name is clearly a copy of the package (else: why not). */
async function copyProblem(
  c: TakeoverCandidate,
  read: UnmarkedFolder,
  files: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  if (read.others.length > 0) return `holds more than WIT files (\`${read.others[0]!}\`)`;
  const outline = await outliner();
  const theirs = outlineOf(outline, c.folder, read.wit);
  const ours = outlineOf(
    outline,
    c.pkg.folder,
    Object.entries(files).map(([name, text]) => ({ name, text })),
  );
  if (theirs === undefined || ours === undefined) return 'does not parse';
  const same = JSON.stringify(theirs.references) === JSON.stringify(ours.references);
  return same ? undefined : `uses other packages than \`${c.pkg.id}\` as published`;
}

/**
 * Decides each takeover the plan lists and updates the plan: an adopted folder is written with its
 * own text (only the marker is new), a folder of another name that is a copy is removed. Returns
 * what was taken over; throws `ERR_WIT_RESOLVE` for a folder of another name that is not clearly a
 * copy (naming both folders).
 */
export async function settleTakeovers(
  plan: InstallPlan,
  contents: UnmarkedContents,
  filesOf: FilesOf,
): Promise<TakenOver[]> {
  const out: TakenOver[] = [];
  for (const c of plan.takeover) {
    const read = contents.get(c.folder);
    if (read === undefined) throw new Error(`takeover of unread folder ${c.folder}`);
    const files = await filesOf(c.pkg);
    const base = { folder: c.folder, id: c.pkg.id, installedAs: c.pkg.folder };
    if (c.sameName) {
      const adopted = adoptable(read, files);
      if (adopted !== undefined) {
        const at = plan.write.findIndex((p) => p.folder === c.folder);
        plan.write[at] = { ...plan.write[at]!, files: adopted };
      }
      out.push({ ...base, action: adopted === undefined ? 'replaced' : 'adopted' });
      continue;
    }
    const problem = isPlainSegment(c.folder)
      ? await copyProblem(c, read, files)
      : 'has a name wit-deps never removes';
    if (problem !== undefined) throw twoLocations(c, problem);
    plan.remove = [...plan.remove, c.folder].sort();
    out.push({ ...base, action: 'replaced' });
  }
  return out;
}
