// Small builders for directory tests: units with defaults, and a tree as "id<parent" text for assertions.
import type { TreeNode, UnitInput, UnitKind } from '../../activities/directory/types';

export function unit(id: string, kind: UnitKind, parentId: string | null, extra: Partial<UnitInput> = {}): UnitInput {
  return {
    id,
    name: `Công đoàn ${id}`,
    kind,
    parentId,
    chair: { name: 'Nguyễn Văn An', email: `chair.${id.toLowerCase()}@example.vn` },
    officer: { name: 'Trần Thị Bình', email: `officer.${id.toLowerCase()}@example.vn` },
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: [],
    ...extra,
  };
}

/** `["R", "  I1", "    G1"]`: a tree as indented ids, easy to compare and to read in a failure. */
export function outline(nodes: readonly TreeNode[]): string[] {
  return nodes.map((n) => `${'  '.repeat(n.depth)}${n.unit.id}`);
}
