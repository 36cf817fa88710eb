/**
 * The API reference (docs/api-reference.md), generated from the type declarations the package
 * ships (`dist/index.d.ts`, `dist/wit-api.d.ts`) with the TypeScript compiler: every export of
 * each entry point with its signature, its members (object types flattened, so options built with
 * `Omit<...>` show their real fields) and its doc comment.
 */
import { join } from 'node:path';
import ts from 'typescript';

/** The package's entry points: specifier and declaration file under dist/. */
export const ENTRY_POINTS = [
  { specifier: 'wit-deps', file: 'index.d.ts' },
  { specifier: 'wit-deps/wit', file: 'wit-api.d.ts' },
] as const;

export type ItemKind = 'function' | 'class' | 'const' | 'namespace' | 'interface' | 'type';

/** One export of an entry point. */
export interface ApiItem {
  name: string;
  kind: ItemKind;
  /** A runtime value (function, class, const, namespace), not only a type. */
  value: boolean;
  code: string;
  docs: string;
}

export interface ApiEntry {
  specifier: string;
  items: ApiItem[];
}

const KIND_ORDER: ItemKind[] = ['function', 'class', 'const', 'namespace', 'interface', 'type'];
const FORMAT =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

function kindOf(decl: ts.Node): ItemKind {
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isVariableDeclaration(decl)) return 'const';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  return 'namespace';
}

/** `{@link X}` as code: the reference names every export under its own heading. */
const links = (text: string): string => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`');

function docsOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const text = links(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
  const tags = symbol
    .getJsDocTags(checker)
    .map((t) => links(`- \`@${t.name}\` ${ts.displayPartsToString(t.text ?? [])}`.trimEnd()));
  return [text, tags.join('\n')].filter((s) => s !== '').join('\n\n');
}

/** `/** doc *\/` lines for a member, indented. */
function memberComment(symbol: ts.Symbol, checker: ts.TypeChecker): string[] {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker));
  if (text === '') return [];
  const lines = text.split('\n');
  return lines.length === 1
    ? [`  /** ${lines[0]} */`]
    : ['  /**', ...lines.map((l) => `   * ${l}`.trimEnd()), '   */'];
}

/** An object type written out member by member (what `Omit`, `&` and `extends` add up to). */
function flattened(name: string, type: ts.Type, checker: ts.TypeChecker, at: ts.Node): string {
  const lines = [`interface ${name} {`];
  for (const prop of checker.getPropertiesOfType(type)) {
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0 ? '?' : '';
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    const readonly =
      decl !== undefined && ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Readonly
        ? 'readonly '
        : '';
    let propType = checker.getTypeOfSymbolAtLocation(prop, at);
    if (optional !== '') propType = checker.getNonNullableType(propType);
    lines.push(...memberComment(prop, checker));
    lines.push(
      `  ${readonly}${prop.name}${optional}: ${checker.typeToString(propType, at, FORMAT)};`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/** The declaration as written in the `.d.ts`, without `export`/`declare`. */
function declarationText(decl: ts.Node): string {
  return decl
    .getText()
    .replace(/^export\s+/, '')
    .replace(/^declare\s+/, '');
}

function codeOf(name: string, target: ts.Symbol, checker: ts.TypeChecker): string {
  const decls = target.declarations ?? [];
  const decl = decls[0]!;
  const kind = kindOf(decl);
  if (kind === 'function') return decls.map(declarationText).join('\n');
  if (kind === 'const') {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    if ((type.flags & ts.TypeFlags.Object) === 0 || checker.getPropertiesOfType(type).length === 0)
      return `const ${name}: ${checker.typeToString(type, decl, FORMAT)};`;
    return `const ${flattened(name, type, checker, decl).replace(/^interface (\S+) \{/, '$1: {')};`;
  }
  if (kind === 'namespace') {
    const names = checker.getExportsOfModule(target).map((s) => s.name);
    return `namespace ${name} { ${names.sort().join(', ')} }`;
  }
  if (kind === 'class') return declarationText(decl).replace(/^declare\s+/, '');
  const type = checker.getDeclaredTypeOfSymbol(target);
  const objectLike =
    kind === 'interface' ||
    (ts.isTypeAliasDeclaration(decl) &&
      !ts.isUnionTypeNode(decl.type) &&
      (decl.typeParameters ?? []).length === 0 &&
      (type.flags & ts.TypeFlags.Object) + (type.flags & ts.TypeFlags.Intersection) !== 0 &&
      checker.getPropertiesOfType(type).length > 0);
  return objectLike ? flattened(name, type, checker, decl) : declarationText(decl);
}

/** Reads every entry point's exports from `dist`. */
export function apiEntries(dist: string): ApiEntry[] {
  const files = ENTRY_POINTS.map((e) => join(dist, e.file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    exactOptionalPropertyTypes: true,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  return ENTRY_POINTS.map((entry, i) => {
    const source = program.getSourceFile(files[i]!);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read ${files[i]!}: run npm run build`);
    const items = checker.getExportsOfModule(module).map((symbol): ApiItem => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kind = kindOf(target.declarations![0]!);
      return {
        name: symbol.name,
        kind,
        value: ['function', 'class', 'const', 'namespace'].includes(kind),
        code: codeOf(symbol.name, target, checker),
        docs: docsOf(target, checker),
      };
    });
    items.sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name),
    );
    return { specifier: entry.specifier, items };
  });
}

const HEADINGS: Record<ItemKind, string> = {
  function: 'Functions',
  class: 'Classes',
  const: 'Constants',
  namespace: 'Namespaces',
  interface: 'Interfaces',
  type: 'Types',
};

/** The reference as Markdown. */
export function apiReferenceMarkdown(entries: readonly ApiEntry[]): string {
  const out = [
    '# API reference',
    '',
    '<!-- Generated from dist/*.d.ts by test/e2e/api-examples.test.ts: do not edit. After an API',
    '     change run `npm run build && npx vitest run test/e2e/api-examples.test.ts -u`. -->',
    '',
    "Every export of the package's entry points, from the type declarations it ships. The guide",
    'with runnable examples is [api.md](api.md).',
  ];
  for (const entry of entries) {
    out.push('', `## \`${entry.specifier}\``);
    for (const kind of KIND_ORDER) {
      const items = entry.items.filter((i) => i.kind === kind);
      if (items.length === 0) continue;
      out.push('', `### ${HEADINGS[kind]}`);
      for (const item of items) {
        out.push('', `#### \`${item.name}\``, '', '```ts', item.code, '```');
        if (item.docs !== '') out.push('', item.docs);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
