/**
 * One component or instance type under construction: its declarations, its type index count and
 * the deduplication maps wit-component keeps per scope (`TypeEncodingMaps`: type id → index,
 * anonymous definition → index, function signature → index).
 */
import { ByteWriter } from '../binary/writer.js';
import type { TypeId } from '../model.js';

export class TypeScopeBuilder {
  readonly decls: Uint8Array[] = [];
  typeCount = 0;
  readonly idToIndex = new Map<TypeId, number>();
  readonly defToIndex = new Map<string, number>();
  readonly funcToIndex = new Map<string, number>();

  constructor(readonly kind: 'component' | 'instance') {}

  /** `(type ...)`: returns the new type index. */
  defineType(body: (w: ByteWriter) => void): number {
    const w = new ByteWriter().byte(0x01);
    body(w);
    this.decls.push(w.finish());
    return this.typeCount++;
  }

  /** Type-sorted alias: `(alias export i "n" (type))` or `(alias outer c i (type))`. */
  aliasExport(instance: number, name: string): number {
    this.decls.push(
      new ByteWriter().byte(0x02).byte(0x03).byte(0x00).u32(instance).string(name).finish(),
    );
    return this.typeCount++;
  }

  aliasOuter(count: number, index: number): number {
    this.decls.push(
      new ByteWriter().byte(0x02).byte(0x03).byte(0x02).u32(count).u32(index).finish(),
    );
    return this.typeCount++;
  }

  /** An import (0x03) or export (0x04) declaration; `desc` writes the extern name and desc. */
  extern(
    kind: 'import' | 'export',
    name: (w: ByteWriter) => void,
    desc: (w: ByteWriter) => void,
    addsType: boolean,
  ): number | undefined {
    const w = new ByteWriter().byte(kind === 'import' ? 0x03 : 0x04);
    name(w);
    desc(w);
    this.decls.push(w.finish());
    return addsType ? this.typeCount++ : undefined;
  }

  /** The whole type: `41`/`42` then the declarations. */
  encode(w: ByteWriter): void {
    w.byte(this.kind === 'component' ? 0x41 : 0x42).u32(this.decls.length);
    for (const d of this.decls) w.bytes(d);
  }
}

/** A plain extern name (`0x00 name`). */
export function plainName(name: string): (w: ByteWriter) => void {
  return (w) => {
    w.byte(0x00).string(name);
  };
}

/** An extern name with an `(implements "...")` option (`0x02 name vec(opt)`). */
export function implementsName(name: string, iface: string): (w: ByteWriter) => void {
  return (w) => {
    w.byte(0x02).string(name).u32(1).byte(0x00).string(iface);
  };
}
