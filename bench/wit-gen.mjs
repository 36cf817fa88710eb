// Seeded generator of varied WIT packages (text) for differential checks (bench/wit-text-diff.mjs).
// One call writes one file: a main package with interfaces, worlds and nested dependency packages
// (several versions of one), covering every type kind, resources (constructor, methods, statics,
// async), own/borrow, future/stream/error-context, async funcs, @since/@unstable/@deprecated gates,
// docs, %-escaped keywords, `use ... as`, includes with `with`, named and inline world items.
// Output is meant to be valid WIT, but the generator does not promise it: both tools judging an
// input invalid is a fine outcome for the differential driver.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRIMS = [
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'f32',
  'f64',
  'bool',
  'char',
  'string',
];
const KEYWORDS = [
  'type',
  'record',
  'func',
  'list',
  'string',
  'enum',
  'flags',
  'resource',
  'world',
  'use',
  'own',
  'borrow',
  'static',
  'async',
  'stream',
  'future',
  'include',
  'with',
  'from',
  'u32',
  'bool',
  'result',
  'option',
  'tuple',
  'variant',
  'interface',
  'import',
  'export',
  'package',
  'constructor',
  'error-context',
];
const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'item',
  'node',
  'key',
  'value',
  'size',
  'count',
  'name',
  'data',
  'x2',
  'http-body',
  'a1-b2',
  'error',
  'state',
];
export const FEATURES = ['active', 'extra'];

class Gen {
  constructor(seed) {
    this.rand = mulberry32(seed);
    this.used = new Set();
    this.version = this.chance(0.7) ? `${this.int(3)}.${this.int(4)}.${this.int(3)}` : undefined;
  }
  int(n) {
    return Math.floor(this.rand() * n);
  }
  chance(p) {
    return this.rand() < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  /** A fresh identifier for one scope (`scope` is a Set), sometimes a %-escaped keyword. */
  ident(scope) {
    for (;;) {
      let n = this.chance(0.15) ? `%${this.pick(KEYWORDS)}` : this.pick(WORDS);
      if (this.chance(0.5)) n = `${n}-${this.int(50)}`;
      const key = n.replace(/^%/, '');
      if (!scope.has(key)) {
        scope.add(key);
        return n;
      }
    }
  }
  docs(indent) {
    const r = this.int(10);
    if (r === 0) return `${indent}/// doc ${this.int(100)}\n${indent}/// more \`text\`\n`;
    if (r === 1) return `${indent}/** block doc ${this.int(100)} */\n`;
    return '';
  }
  /** A gate line or none; `off` allows a never-enabled feature (only on items nothing refers to). */
  gate(indent, off = false) {
    const r = this.int(12);
    const v = this.version;
    if (r === 0 && v !== undefined) return `${indent}@since(version = ${v})\n`;
    if (r === 1) return `${indent}@unstable(feature = ${this.pick(FEATURES)})\n`;
    if (r === 2 && v !== undefined)
      return `${indent}@since(version = ${v})\n${indent}@deprecated(version = ${v})\n`;
    if (r === 3 && off) return `${indent}@unstable(feature = never-on)\n`;
    return '';
  }
  /** A type expression using only `known` named types (an array of {name, resource}). */
  type(known, depth = 0, ctx = {}) {
    const r = this.int(depth > 2 ? 3 : 14);
    const named = known.filter((t) => !t.resource || !ctx.noHandles);
    if (r === 0 || named.length === 0) return this.pick(PRIMS);
    if (r === 1) {
      const t = this.pick(named);
      if (!t.resource) return t.name;
      if (ctx.param && this.chance(0.4)) return `borrow<${t.name}>`;
      return this.chance(0.5) ? t.name : `own<${t.name}>`;
    }
    if (r === 2) return this.pick(PRIMS);
    const inner = () => this.type(known, depth + 1, { ...ctx, param: false });
    switch (r) {
      case 3:
        return `list<${inner()}>`;
      case 4:
        return `option<${inner()}>`;
      case 5:
        return this.pick([
          `result<${inner()}, ${inner()}>`,
          `result<_, ${inner()}>`,
          `result<${inner()}>`,
          'result',
        ]);
      case 6:
        return `tuple<${Array.from({ length: 1 + this.int(3) }, inner).join(', ')}>`;
      case 7:
        return this.chance(0.5) ? `future<${inner()}>` : 'future';
      case 8:
        return this.chance(0.5) ? `stream<${inner()}>` : 'stream';
      case 9:
        return 'error-context';
      case 10:
        return `list<${inner()}, ${1 + this.int(4)}>`;
      default:
        return this.pick(named).resource ? this.pick(PRIMS) : this.pick(named).name;
    }
  }
  func(known, isAsync) {
    const scope = new Set();
    const params = Array.from({ length: this.int(4) }, () => {
      return `${this.ident(scope)}: ${this.type(known, 0, { param: true })}`;
    });
    const res = this.chance(0.6) ? ` -> ${this.type(known, 0, {})}` : '';
    return `${isAsync ? 'async ' : ''}func(${params.join(', ')})${res}`;
  }
  typedef(known, scope, ind) {
    const name = this.ident(scope);
    const fields = () => new Set();
    const head = this.docs(ind) + this.gate(ind);
    const r = this.int(8);
    const sub = `${ind}  `;
    let body;
    if (r === 0) {
      const fs = fields();
      const list = Array.from(
        { length: 1 + this.int(3) },
        () => `${sub}${this.ident(fs)}: ${this.type(known, 0, {})},`,
      );
      body = `record ${name} {\n${list.join('\n')}\n${ind}}`;
    } else if (r === 1) {
      const fs = fields();
      const list = Array.from({ length: 1 + this.int(3) }, () => {
        const c = this.ident(fs);
        return `${sub}${c}${this.chance(0.5) ? `(${this.type(known, 0, {})})` : ''},`;
      });
      body = `variant ${name} {\n${list.join('\n')}\n${ind}}`;
    } else if (r === 2) {
      const fs = fields();
      body = `enum ${name} { ${Array.from({ length: 1 + this.int(4) }, () => this.ident(fs)).join(', ')} }`;
    } else if (r === 3) {
      const fs = fields();
      body = `flags ${name} { ${Array.from({ length: this.int(4) }, () => this.ident(fs)).join(', ')} }`;
    } else if (r === 4 || r === 5) {
      return head + `${ind}${this.resource(known, name, ind)}`;
    } else {
      body = `type ${name} = ${this.type(known, 0, {})};`;
    }
    known.push({ name, resource: false });
    return `${head}${ind}${body}`;
  }
  resource(known, name, ind) {
    known.push({ name, resource: true });
    if (this.chance(0.25)) return `resource ${name};`;
    const members = new Set();
    const sub = `${ind}  `;
    const out = [];
    if (this.chance(0.5)) out.push(`${sub}constructor(${this.chance(0.5) ? 'x: u32' : ''});`);
    for (let i = this.int(4); i > 0; i--) {
      const m = this.ident(members);
      const kind = this.int(3);
      const fn = this.func(known, this.chance(0.3));
      out.push(
        `${this.docs(sub)}${this.gate(sub)}${sub}${m}: ${kind === 0 ? `static ${fn}` : fn};`,
      );
    }
    return `resource ${name} {\n${out.join('\n')}\n${ind}}`;
  }
  /** An interface body: uses, then types and functions. */
  iface(ind, imports, exportsKnown) {
    const scope = new Set();
    const known = [];
    const lines = [];
    for (const u of imports) {
      if (!this.chance(0.5) || u.types.length === 0) continue;
      const t = this.pick(u.types);
      if (scope.has(t.name)) continue;
      const alias = this.chance(0.3) ? this.ident(scope) : undefined;
      if (alias === undefined) scope.add(t.name);
      lines.push(`${ind}use ${u.path}.{${t.name}${alias ? ` as ${alias}` : ''}};`);
      known.push({ name: alias ?? t.name, resource: t.resource });
    }
    for (let i = 1 + this.int(5); i > 0; i--) lines.push(this.typedef(known, scope, ind));
    for (let i = this.int(4); i > 0; i--) {
      const n = this.ident(scope);
      lines.push(
        `${this.docs(ind)}${this.gate(ind)}${ind}${n}: ${this.func(known, this.chance(0.25))};`,
      );
    }
    exportsKnown.push(...known.filter((t) => /^[a-z%]/.test(t.name)));
    return lines.join('\n');
  }
}

function depPackages(g, out) {
  const deps = [];
  const ns = g.pick(['dep', 'wasi', 'acme']);
  const versions = g.chance(0.5) ? ['1.0.0', '2.0.0'] : [g.chance(0.5) ? '0.1.0' : undefined];
  const mainVersion = g.version;
  for (const v of versions) {
    g.version = v;
    const full = `${ns}:lib${v === undefined ? '' : `@${v}`}`;
    const types = [];
    const body = g.iface('    ', [], types);
    const at = v === undefined ? '' : `@${v}`;
    const base = g.chance(0.5)
      ? `  world base {\n    import shared;\n    export base-run: func();\n  }\n`
      : '';
    out.push(`package ${full} {\n  interface shared {\n${body}\n  }\n${base}}\n`);
    deps.push({
      path: `${ns}:lib/shared${at}`,
      types,
      ...(base === '' ? {} : { world: `${ns}:lib/base${at}` }),
    });
  }
  g.version = mainVersion;
  return deps;
}

const bare = (name) => name.replaceAll('%', '');

function world(g, name, ifaces, worlds, imports, deps) {
  const scope = new Set();
  const lines = [];
  const ind = '  ';
  const known = [];
  const typeNames = new Set();
  for (const u of imports) {
    if (!g.chance(0.3) || u.types.length === 0) continue;
    const t = g.pick(u.types);
    if (typeNames.has(t.name.replaceAll('%', ''))) continue;
    typeNames.add(t.name.replaceAll('%', ''));
    lines.push(`${ind}use ${u.path}.{${t.name}};`);
    known.push({ name: t.name, resource: t.resource });
  }
  for (let i = g.int(3); i > 0; i--) lines.push(g.typedef(known, typeNames, ind));
  for (const d of deps) {
    if (d.world !== undefined && g.chance(0.3)) lines.push(`${ind}include ${d.world};`);
  }
  for (const w of worlds) {
    if (!g.chance(0.4)) continue;
    const renames = w.plain
      .filter(() => g.chance(0.5))
      .map((n) => `${n} as ${n}-${name.replace(/^%/, '')}`);
    lines.push(
      `${ind}include ${w.name}${renames.length ? ` with { ${renames.join(', ')} }` : ';'}`,
    );
  }
  const plain = [];
  for (let i = 1 + g.int(5); i > 0; i--) {
    const dir = g.chance(0.5) ? 'import' : 'export';
    const r = g.int(4);
    const gate = g.gate(ind);
    if (r === 0 && ifaces.length > 0) {
      const path = g.pick(ifaces);
      if (scope.has(path)) continue;
      scope.add(path);
      lines.push(`${gate}${ind}${dir} ${path};`);
      continue;
    }
    const n = `${bare(name)}-${bare(g.ident(new Set()))}`;
    if (scope.has(n)) continue;
    scope.add(n);
    plain.push(n);
    if (r === 1)
      lines.push(
        `${gate}${ind}${dir} ${n}: ${g.func(dir === 'import' ? known : [], g.chance(0.3))};`,
      );
    else if (r === 2)
      lines.push(`${gate}${ind}${dir} ${n}: interface {\n${g.iface('    ', [], [])}\n${ind}}`);
    else if (ifaces.length > 0) lines.push(`${gate}${ind}${dir} ${n}: ${g.pick(ifaces)};`);
  }
  worlds.push({ name, plain });
  return `${g.docs('')}${g.gate('')}world ${name} {\n${lines.join('\n')}\n}\n`;
}

/** One generated WIT source file; `seed` fixes it. */
export function generateWit(seed) {
  const g = new Gen(seed);
  const nested = [];
  const deps = g.chance(0.7) ? depPackages(g, nested) : [];
  const out = [`${g.docs('')}package gen:p${seed % 7}${g.version ? `@${g.version}` : ''};\n`];
  const top = new Set();
  const ifaces = [];
  let imports = [...deps];
  const aliases = [];
  for (const d of deps) {
    if (!g.chance(0.3)) continue;
    const alias = g.ident(top);
    out.push(`use ${d.path} as ${alias};\n`);
    aliases.push(alias);
  }
  for (let i = 1 + g.int(4); i > 0; i--) {
    const name = g.ident(top);
    const types = [];
    const body = g.iface('  ', imports, types);
    out.push(`${g.docs('')}${g.gate('')}interface ${name} {\n${body}\n}\n`);
    ifaces.push(name);
    imports = [...imports, { path: name, types }];
  }
  const worlds = [];
  for (let i = 1 + g.int(3); i > 0; i--) {
    const paths = [...ifaces, ...deps.map((d) => d.path), ...aliases];
    out.push(world(g, g.ident(top), paths, worlds, imports, deps));
  }
  return [...out, ...nested].join('\n');
}
