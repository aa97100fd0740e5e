import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestParent, parentOn, withParentFrom, type ParentLink } from '../../activities/directory/timeline';

const DATES = ['2020-01-01', '2021-07-01', '2023-01-01', '2025-07-01', '2026-01-01'];
const PROBES = ['2019-12-31', ...DATES, '2020-06-30', '2022-02-02', '2025-06-30', '2030-01-01'];

const event = fc.record({ parentId: fc.constantFrom<string | null>('A', 'B', 'C', null), from: fc.constantFrom(...DATES) });
const timeline = fc.array(event, { maxLength: 6 }).map((events) => events.reduce<ParentLink[]>((l, e) => withParentFrom(l, e.parentId, e.from), []));

describe('parent timelines', () => {
  it('re-parents from a date and keeps what came before', () => {
    const t1 = withParentFrom([], 'D1', '2020-01-01');
    expect(t1).toEqual([{ parentId: 'D1', validFrom: '2020-01-01', validTo: null }]);
    const t2 = withParentFrom(t1, 'R', '2025-07-01');
    expect(t2).toEqual([
      { parentId: 'D1', validFrom: '2020-01-01', validTo: '2025-07-01' },
      { parentId: 'R', validFrom: '2025-07-01', validTo: null },
    ]);
    expect(parentOn(t2, '2025-06-30')).toBe('D1');
    expect(parentOn(t2, '2025-07-01')).toBe('R');
    expect(parentOn(t2, '2019-12-31')).toBeNull();
    expect(latestParent(t2)).toBe('R');
  });

  it('back-dates a change by merging it with the same later parent', () => {
    const t = withParentFrom(withParentFrom(withParentFrom([], 'D1', '2020-01-01'), 'R', '2025-07-01'), 'R', '2025-06-15');
    expect(t).toEqual([
      { parentId: 'D1', validFrom: '2020-01-01', validTo: '2025-06-15' },
      { parentId: 'R', validFrom: '2025-06-15', validTo: null },
    ]);
  });

  it('keeps a change already scheduled after the new one', () => {
    const scheduled = withParentFrom(withParentFrom([], 'A', '2020-01-01'), 'C', '2026-01-01');
    const t = withParentFrom(scheduled, 'B', '2025-07-01');
    expect(t.map((l) => [l.parentId, l.validFrom, l.validTo])).toEqual([
      ['A', '2020-01-01', '2025-07-01'],
      ['B', '2025-07-01', '2026-01-01'],
      ['C', '2026-01-01', null],
    ]);
  });

  it('is always sorted, contiguous and minimal, and changes exactly the span the event covers', () => {
    fc.assert(
      fc.property(timeline, event, (before, e) => {
        const after = withParentFrom(before, e.parentId, e.from);
        after.forEach((l, i) => {
          expect(l.validTo).toBe(after[i + 1]?.validFrom ?? null);
          if (i > 0) expect(l.parentId).not.toBe(after[i - 1]!.parentId);
        });
        if (after.length > 0) expect(after[0]!.parentId).not.toBeNull();
        const nextChange = before.map((l) => l.validFrom).filter((d) => d > e.from).sort()[0];
        for (const d of PROBES) {
          const inSpan = d >= e.from && (nextChange === undefined || d < nextChange);
          expect(parentOn(after, d)).toBe(inSpan ? e.parentId : parentOn(before, d));
        }
      }),
    );
  });
});
