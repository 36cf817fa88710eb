/**
 * One package's items: its foreign items (`foreign.ts`), its interfaces, then its worlds, in the
 * order `names.ts` found, then worlds' includes and elaboration. The same code runs
 * in the name-checking phase (`check.ts`, `ctx.checking`), where it stops after the worlds.
 */
import { WitSpanError } from '../diagnostics.js';
import {
  addInterface,
  addPackage,
  addWorld,
  getPackage,
  type PackageId,
  type Resolve,
  UNKNOWN_STABILITY,
} from '../model.js';
import type { AstInterface, AstWorld } from '../text/ast.js';
import { PackageContext } from './context.js';
import { resolveDocs, resolveStability } from './docs.js';
import { checkGatedInlineInterfaces, checkGatedInterface, checkGatedWorld } from './gates.js';
import { resolveInterfaceBody } from './interfaces.js';
import { declareItems, type Declared } from './names.js';
import type { UnresolvedPackage } from './unresolved.js';
import { checkForeignItems, checkForeignTypes } from './foreign.js';
import { checkForeignKinds } from './paths.js';
import { resolveWorldBody } from './worlds.js';

/**
 * Adds `pkg` to `resolve`. With `checking`, the package is not registered by name (its foreign
 * packages are stand-ins in `resolve`) and includes are only checked, not applied.
 */
export function pushPackage(
  resolve: Resolve,
  pkg: UnresolvedPackage,
  checking = false,
  checkUses?: (ctx: PackageContext) => void,
): PackageId {
  const model = {
    name: pkg.name,
    docs: resolveDocs(pkg.docs),
    interfaces: new Map(),
    worlds: new Map(),
  };
  const pkgId = checking
    ? ((resolve.packages.push(model) - 1) as PackageId)
    : addPackage(resolve, model);
  const ctx = new PackageContext(resolve, pkgId, pkg.name, checking);
  const { byName, order } = declareItems(ctx, pkg);
  if (checkUses !== undefined) checkUses(ctx);
  else {
    checkForeignKinds(pkg.items);
    checkForeignItems(ctx, pkg);
    checkForeignTypes(ctx, pkg);
  }
  const finish = resolveItems(ctx, order, byName);
  if (checking) return pkgId;
  for (const { file, run } of finish) {
    ctx.currentFile = file;
    run();
  }
  return pkgId;
}

/**
 * All interfaces first, then all worlds, each in dependency order (wit-parser's `resolve`).
 * Between them, as wit-parser maps type owners before it resolves worlds: the types left in a
 * gated-out interface (top-level or inline in a world) that have no gate of their own. Returns
 * the worlds' includes and elaboration, to run once every world has its own items.
 */
function resolveItems(
  ctx: PackageContext,
  order: string[],
  byName: Declared,
): { file: number; run: () => void }[] {
  const finish: { file: number; run: () => void }[] = [];
  for (const kind of ['interface', 'world'] as const) {
    if (kind === 'world') checkGatedInterfaces(ctx, order, byName);
    for (const name of order) {
      const { item, file } = byName.get(name)!;
      if (item.kind !== kind) continue;
      ctx.currentFile = file;
      if (item.kind === 'interface') pushInterface(ctx, item.iface);
      else if (item.kind === 'world') {
        const run = pushWorld(ctx, item.world);
        if (run !== undefined) finish.push({ file, run });
      }
    }
  }
  return finish;
}

function pushInterface(ctx: PackageContext, iface: AstInterface): void {
  const name = iface.name.name;
  const stability = resolveStability(iface.attrs, ctx.pkgName, iface.name.span);
  if (!ctx.included(stability)) {
    ctx.names.set(name, { kind: 'gated', what: 'interface' });
    inScratch(ctx, (scratch) => {
      const id = addInterface(scratch.resolve, {
        name,
        types: new Map(),
        functions: new Map(),
        docs: {},
        stability: UNKNOWN_STABILITY,
        package: ctx.pkgId,
      });
      resolveInterfaceBody(scratch, id, iface.items);
    });
    return;
  }
  const id = addInterface(ctx.resolve, {
    name,
    types: new Map(),
    functions: new Map(),
    docs: resolveDocs(iface.docs),
    stability,
    package: ctx.pkgId,
  });
  ctx.names.set(name, { kind: 'interface', id });
  getPackage(ctx.resolve, ctx.pkgId).interfaces.set(name, id);
  resolveInterfaceBody(ctx, id, iface.items);
}

/**
 * Resolves an interface or world a gate drops in a scratch copy: wit-parser resolves names before
 * it applies gates, so an unknown name in it is an error; what gates make of it is not (yet).
 */
function inScratch(ctx: PackageContext, fn: (scratch: PackageContext) => void): void {
  try {
    fn(ctx.scratch());
  } catch (err) {
    if (err instanceof WitSpanError && err.message.includes('excluded due to its feature')) return;
    throw err;
  }
}

function checkGatedInterfaces(ctx: PackageContext, order: string[], byName: Declared): void {
  for (const name of order) {
    const { item, file } = byName.get(name)!;
    ctx.currentFile = file;
    if (item.kind === 'interface') {
      const { attrs, name: id } = item.iface;
      if (!ctx.included(resolveStability(attrs, ctx.pkgName, id.span)))
        checkGatedInterface(ctx, item.iface);
    } else if (item.kind === 'world') checkGatedInlineInterfaces(ctx, item.world);
  }
}

function pushWorld(ctx: PackageContext, world: AstWorld): (() => void) | undefined {
  const name = world.name.name;
  const stability = resolveStability(world.attrs, ctx.pkgName, world.name.span);
  if (!ctx.included(stability)) {
    ctx.names.set(name, { kind: 'gated', what: 'world' });
    inScratch(ctx, (scratch) => {
      const id = addWorld(scratch.resolve, {
        name,
        imports: new Map(),
        exports: new Map(),
        package: ctx.pkgId,
        docs: {},
        stability: UNKNOWN_STABILITY,
      });
      resolveWorldBody(scratch, id, world);
    });
    checkGatedWorld(ctx, world);
    return undefined;
  }
  const id = addWorld(ctx.resolve, {
    name,
    imports: new Map(),
    exports: new Map(),
    package: ctx.pkgId,
    docs: resolveDocs(world.docs),
    stability,
  });
  ctx.names.set(name, { kind: 'world', id });
  getPackage(ctx.resolve, ctx.pkgId).worlds.set(name, id);
  return resolveWorldBody(ctx, id, world);
}
