import { describe, expect, it } from 'vitest';
import { renderTree, type TreeNode } from '../../../../src/app/deps/tree.js';

const node = (
  id: string,
  dependencies: TreeNode[] = [],
  requirement = `=${id.split('@')[1]!}`,
) => ({
  id,
  requirement,
  dependencies,
});

describe('renderTree', () => {
  it('expands a shared package once and marks its later uses (*), as cargo tree does', () => {
    const io = node('wasi:io@0.2.3');
    const clocks = () => node('wasi:clocks@0.2.3', [io]);
    const fs = node('wasi:filesystem@0.2.3', [clocks(), io]);
    const roots = [
      node('wasi:cli@0.2.3', [clocks(), fs], '^0.2'),
      node('wasi:clocks@0.2.3', [io], '^0.2'),
    ];
    expect(renderTree(roots)).toBe(
      [
        'wasi:cli@0.2.3 (^0.2)',
        '├── wasi:clocks@0.2.3',
        '│   └── wasi:io@0.2.3',
        '└── wasi:filesystem@0.2.3',
        '    ├── wasi:clocks@0.2.3 (*)',
        '    └── wasi:io@0.2.3',
        'wasi:clocks@0.2.3 (^0.2)',
        '└── wasi:io@0.2.3',
      ].join('\n'),
    );
  });
});
