/**
 * A package before resolution, as `packages.ts` groups it from parsed files: its name, docs and
 * items, with the file each item came from. The phases that read it (`check.ts`, `names.ts`,
 * `foreign.ts`, `items.ts`) import it from here, not from the module that adds packages.
 */
import type { Span } from '../diagnostics.js';
import type { PackageName } from '../model.js';
import type { AstDocs, TopItem } from '../text/ast.js';
import type { RequiredResource } from './context.js';

/** One package before resolution. */
export interface UnresolvedPackage {
  name: PackageName;
  span: Span;
  docs: AstDocs;
  items: TopItem[];
  /** For each item, the index of the file it came from (top-level `use` is file-scoped). */
  fileOf: number[];
  /** Set by the name check: foreign types that handles name, which must be resources. */
  requiredResources?: RequiredResource[];
}

/** The packages of one source (a folder, a file or a deps entry): its main one and nested blocks. */
export interface PackageGroup {
  main: UnresolvedPackage;
  nested: UnresolvedPackage[];
}
