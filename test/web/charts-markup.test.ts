// The chart modules on their own: the cumulative steps a progress curve draws, the order of the bars, and
// markup that stays markup whatever a unit is called (names are escaped in the SVG text and titles).
import { describe, expect, it } from 'vitest';
import { barsChart } from '../../client/web/charts/bars';
import { heatMapChart } from '../../client/web/charts/heatmap';
import { cumulative, progressChart } from '../../client/web/charts/progress';
import { worstFirst, type PhaseCounts } from '../../client/web/ops/insight';

const counts = (c: Partial<PhaseCounts>): PhaseCounts => ({ expected: 0, submitted: 0, 'on-time': 0, late: 0, missing: 0, overdue: 0, ...c });
const HOSTILE = 'Công đoàn <script>alert(1)</script> & "Ngọc"';

describe('chart markup', () => {
  it('cumulates arrivals into steps ending at the totals, merging those within a bucket', () => {
    const start = Date.parse('2027-03-01T00:00:00Z');
    const arrivals = [
      { at: '2027-03-02T01:00:00Z', late: false },
      { at: '2027-03-02T02:00:00Z', late: false },
      { at: '2027-04-02T00:00:00Z', late: true },
    ];
    const exact = cumulative(arrivals, start, Date.parse('2027-05-01T00:00:00Z'));
    expect(exact.map((s) => [s.onTime, s.late])).toEqual([[0, 0], [1, 0], [2, 0], [2, 1], [2, 1]]);
    const daily = cumulative(arrivals, start, Date.parse('2027-05-01T00:00:00Z'), 24 * 3600 * 1000);
    expect(daily.map((s) => [s.onTime, s.late])).toEqual([[0, 0], [2, 0], [2, 1], [2, 1]]);
  });

  it('puts the unit furthest behind first: overdue share, then missing, then late', () => {
    const a = { plan: counts({ expected: 10, overdue: 1, missing: 1 }), report: counts({ expected: 10 }) };
    const b = { plan: counts({ expected: 2, overdue: 1, missing: 1 }), report: counts({ expected: 2 }) };
    const c = { plan: counts({ expected: 2, late: 2 }), report: counts({ expected: 2 }) };
    expect([a, c, b].sort(worstFirst)).toEqual([b, a, c]);
  });

  it('escapes unit names in SVG text and titles, and gives every chart an accessible name', () => {
    const bars = barsChart('vi', { title: `Kế hoạch — ${HOSTILE}`, rows: [{ id: 'X', name: HOSTILE, href: '/x?a=1&b=2', counts: counts({ expected: 2, overdue: 1, missing: 1, 'on-time': 1 }) }] }).value;
    const heat = heatMapChart('en', { title: HOSTILE, baseDepth: 0, rows: [{ id: 'X', name: HOSTILE, depth: 1, href: '/x', standings: { plan: 'late', report: 'overdue' } }] }).value;
    const progress = progressChart('vi', { title: HOSTILE, counts: counts({ expected: 3 }), arrivals: [], deadlines: [], now: '2027-03-01T00:00:00Z' }).value;
    for (const svg of [bars, heat, progress]) {
      expect(svg).not.toContain('<script>');
      expect(svg).toContain('&lt;script&gt;');
      expect(svg).toMatch(/<svg [^>]*role="img"[^>]*aria-labelledby="chart-\d+-title/);
      expect(svg).toMatch(/<title id="chart-\d+-title">/);
    }
    expect(bars).toContain('href="/x?a=1&amp;b=2"');
    expect(heat).toContain('data-standing="overdue"');
  });
});
