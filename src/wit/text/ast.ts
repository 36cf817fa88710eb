/**
 * The WIT abstract syntax tree produced by the parser: one {@link AstFile} per source file, with
 * every name carrying its span so the resolver can point its errors at the source.
 */
import type { Span } from '../diagnostics.js';

export interface Ident {
  name: string;
  span: Span;
}

/** The raw comments before an item (rendered to docs text by the resolver). */
export interface AstDocs {
  comments: string[];
  span?: Span;
}

export type Attribute =
  | { kind: 'since'; version: string; span: Span }
  | { kind: 'unstable'; feature: string; span: Span }
  | { kind: 'deprecated'; version: string; span: Span }
  | { kind: 'external-id'; value: string; span: Span };

export interface AstPackageName {
  namespace: Ident;
  name: Ident;
  version?: string;
  span: Span;
}

/** `iface` (local) or `ns:pkg/iface@ver` (foreign). */
export type UsePath =
  | { kind: 'local'; name: Ident }
  | { kind: 'package'; pkg: AstPackageName; name: Ident; span: Span };

export interface UseName {
  name: Ident;
  as?: Ident;
}

export interface AstUse {
  path: UsePath;
  names: UseName[];
  attrs: Attribute[];
  docs: AstDocs;
}

export const PRIMITIVE_KEYWORDS = [
  'bool',
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
  'char',
  'string',
  'error-context',
] as const;

export type AstType =
  | { kind: 'primitive'; name: (typeof PRIMITIVE_KEYWORDS)[number]; span: Span }
  | { kind: 'name'; name: Ident; span: Span }
  | { kind: 'list'; element: AstType; length?: number; span: Span }
  | { kind: 'map'; key: AstType; value: AstType; span: Span }
  | { kind: 'handle'; handle: 'own' | 'borrow'; resource: Ident; span: Span }
  | { kind: 'tuple'; types: AstType[]; span: Span }
  | { kind: 'option'; type: AstType; span: Span }
  | { kind: 'result'; ok?: AstType; err?: AstType; span: Span }
  | { kind: 'future'; type?: AstType; span: Span }
  | { kind: 'stream'; type?: AstType; span: Span };

export interface AstField {
  name: Ident;
  type: AstType;
  docs: AstDocs;
}
export interface AstCase {
  name: Ident;
  type?: AstType;
  docs: AstDocs;
}
export interface AstFlag {
  name: Ident;
  docs: AstDocs;
}

export interface AstFunc {
  async: boolean;
  params: { name: Ident; type: AstType }[];
  result?: AstType;
  span: Span;
}

export interface ResourceFunc {
  kind: 'method' | 'static' | 'constructor';
  name: Ident;
  func: AstFunc;
  docs: AstDocs;
  attrs: Attribute[];
}

export type TypeDefBody =
  | { kind: 'alias'; type: AstType }
  | { kind: 'record'; fields: AstField[] }
  | { kind: 'variant'; cases: AstCase[] }
  | { kind: 'enum'; cases: AstFlag[] }
  | { kind: 'flags'; flags: AstFlag[] }
  | { kind: 'resource'; funcs: ResourceFunc[] };

export interface AstTypeDef {
  name: Ident;
  body: TypeDefBody;
  docs: AstDocs;
  attrs: Attribute[];
}

export interface AstNamedFunc {
  name: Ident;
  func: AstFunc;
  docs: AstDocs;
  attrs: Attribute[];
}

export type InterfaceItem =
  | { kind: 'use'; use: AstUse }
  | { kind: 'type'; def: AstTypeDef }
  | { kind: 'func'; func: AstNamedFunc };

export interface AstInterface {
  name: Ident;
  items: InterfaceItem[];
  docs: AstDocs;
  attrs: Attribute[];
}

export type ExternKind =
  | { kind: 'interface'; name: Ident; items: InterfaceItem[] }
  | { kind: 'path'; path: UsePath }
  | { kind: 'named-path'; name: Ident; path: UsePath }
  | { kind: 'func'; name: Ident; func: AstFunc };

export interface AstInclude {
  path: UsePath;
  with: { from: Ident; to: Ident }[];
  attrs: Attribute[];
  docs: AstDocs;
}

export type WorldItem =
  | { kind: 'import' | 'export'; extern: ExternKind; docs: AstDocs; attrs: Attribute[]; span: Span }
  | { kind: 'use'; use: AstUse }
  | { kind: 'type'; def: AstTypeDef }
  | { kind: 'include'; include: AstInclude };

export interface AstWorld {
  name: Ident;
  items: WorldItem[];
  docs: AstDocs;
  attrs: Attribute[];
}

export interface AstToplevelUse {
  path: UsePath;
  as?: Ident;
  attrs: Attribute[];
  span: Span;
}

export type TopItem =
  | { kind: 'interface'; iface: AstInterface }
  | { kind: 'world'; world: AstWorld }
  | { kind: 'use'; use: AstToplevelUse };

/** A `package a:b { ... }` block, or the items of a file under its `package a:b;` header. */
export interface AstPackageBody {
  name?: AstPackageName;
  docs: AstDocs;
  items: TopItem[];
  /** The name of the first `package` block nested inside this one (refused when resolving). */
  nestedPackage?: Span;
}

export interface AstFile {
  /** The file's own package: header (if any) and top-level items. */
  main: AstPackageBody;
  /** `package a:b { ... }` blocks, in source order. */
  nested: AstPackageBody[];
}
