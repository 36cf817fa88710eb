/**
 * The paths a package's items name (`use`, `include`, world `import`/`export`), visited in
 * wit-parser's order (`DeclList::for_each_path`): a world's `use` and `include` in source order,
 * then its imports, then its exports; an interface's `use` in source order; top-level `use`.
 * Used to order packages (their foreign dependencies), to order interfaces and worlds (the local
 * `use` of interfaces and `include` of worlds), and to give each foreign item the kind of its
 * first mention.
 */
import { formatPackageName } from '../model.js';
import type {
  AstPackageName,
  Attribute,
  ExternKind,
  InterfaceItem,
  TopItem,
  UseName,
  UsePath,
} from '../text/ast.js';
import { astPackageName, kindError } from './context.js';

export interface PathVisit {
  /** The interface (for its `use`) or world (for its `include`) that depends on the path. */
  owner?: string;
  attrs: Attribute[];
  path: UsePath;
  /** What the path must name: a world (`include`), an interface, or unknown (top-level `use`). */
  want: 'world' | 'interface' | 'unknown';
  /** The names a `use path.{...}` imports (none for other paths). */
  names: UseName[];
}

/** Every path of `items`, in wit-parser's visiting order. */
export function forEachPath(items: TopItem[]): PathVisit[] {
  const out: PathVisit[] = [];
  const uses = (list: InterfaceItem[], owner?: string): void => {
    for (const i of list) {
      if (i.kind === 'use')
        out.push({
          ...(owner ? { owner } : {}),
          attrs: i.use.attrs,
          path: i.use.path,
          want: 'interface',
          names: i.use.names,
        });
    }
  };
  for (const item of items) {
    if (item.kind === 'use') {
      out.push({ attrs: item.use.attrs, path: item.use.path, want: 'unknown', names: [] });
    } else if (item.kind === 'interface') {
      uses(item.iface.items, item.iface.name.name);
    } else {
      const externs: { ext: ExternKind; attrs: Attribute[] }[][] = [[], []];
      for (const i of item.world.items) {
        if (i.kind === 'use') {
          const { attrs, path, names } = i.use;
          out.push({ attrs, path, want: 'interface', names });
        }
        if (i.kind === 'include') {
          const { attrs, path } = i.include;
          out.push({ owner: item.world.name.name, attrs, path, want: 'world', names: [] });
        }
        if (i.kind === 'import' || i.kind === 'export')
          externs[i.kind === 'import' ? 0 : 1]!.push({ ext: i.extern, attrs: i.attrs });
      }
      for (const { ext, attrs } of externs.flat()) {
        if (ext.kind === 'interface') uses(ext.items);
        if (ext.kind === 'path' || ext.kind === 'named-path')
          out.push({ attrs, path: ext.path, want: 'interface', names: [] });
      }
    }
  }
  return out;
}

/** The foreign packages a package names, each once, with the span of its first mention. */
export function foreignDeps(items: TopItem[]): AstPackageName[] {
  const seen = new Map<string, AstPackageName>();
  for (const { path } of forEachPath(items)) {
    if (path.kind !== 'package') continue;
    const key = formatPackageName(astPackageName(path.pkg));
    if (!seen.has(key)) seen.set(key, path.pkg);
  }
  return [...seen.values()];
}

/**
 * A foreign item is a world when first named by an `include`, else an interface; naming it later
 * as the other kind is an error (at the later mention), as wit-parser reports it.
 */
export function checkForeignKinds(items: TopItem[]): void {
  const kinds = new Map<string, 'world' | 'interface'>();
  for (const { path, want } of forEachPath(items)) {
    if (path.kind !== 'package') continue;
    const key = `${formatPackageName(astPackageName(path.pkg))}/${path.name.name}`;
    const kind = want === 'world' ? 'world' : 'interface';
    const first = kinds.get(key);
    if (first === undefined) kinds.set(key, kind);
    else if (first !== kind) kindError(path.name.name, first, kind, path.name.span);
  }
}

export interface ForeignItem {
  path: UsePath;
  /** The first mention of the item's package (where a missing package is reported). */
  pkg: AstPackageName;
  want: 'world' | 'interface';
  /** The attributes of every mention (an item named only under inactive gates may be absent). */
  mentions: Attribute[][];
}

/**
 * Every foreign interface and world the items name, each once, as wit-parser looks them up when it
 * adds the package: all interfaces, then all worlds, each in order of first mention.
 */
export function foreignItems(items: TopItem[]): ForeignItem[] {
  const packages = new Map<string, AstPackageName>();
  const found = new Map<string, ForeignItem>();
  for (const { path, want, attrs } of forEachPath(items)) {
    if (path.kind !== 'package') continue;
    const pkgKey = formatPackageName(astPackageName(path.pkg));
    if (!packages.has(pkgKey)) packages.set(pkgKey, path.pkg);
    const key = `${pkgKey}/${path.name.name}`;
    const known = found.get(key);
    if (known !== undefined) known.mentions.push(attrs);
    else {
      const kind = want === 'world' ? 'world' : 'interface';
      found.set(key, { path, pkg: packages.get(pkgKey)!, want: kind, mentions: [attrs] });
    }
  }
  const all = [...found.values()];
  return [...all.filter((f) => f.want === 'interface'), ...all.filter((f) => f.want === 'world')];
}
