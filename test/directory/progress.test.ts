// The progress line of `baocao units import`: every 2 s while it runs (a bar of the share of the file read, rows
// read, units written, rate), in Vietnamese and English; nothing at all for an import done sooner.
import { describe, expect, it } from 'vitest';
import { progressBar, progressPrinter, progressText } from '../../client/cli/commands/units';

describe('the import progress line', () => {
  it('reads rows, units and the rate in both languages', () => {
    expect(progressText({ stage: 'reading', read: 52_000, written: 51_000, fraction: 0.4 }, 20_000)).toBe(
      '[████████░░░░░░░░░░░░]  40 % · 52.000 dòng đã đọc, 51.000 đơn vị đã ghi, 2.600 dòng/giây / 52,000 rows read, 51,000 units written, 2,600 rows/s',
    );
    expect(progressText({ stage: 'done', read: 130_000, written: 130_000, fraction: 1 }, 50_000)).toMatch(/^\[█{20}\] 100 % · .*; xong \/ .*; done$/);
  });

  it('draws the share of the file read, rounded down: full only once all of it is', () => {
    expect(progressBar(0)).toBe('[░░░░░░░░░░░░░░░░░░░░]   0 %');
    expect(progressBar(0.049)).toBe('[░░░░░░░░░░░░░░░░░░░░]   4 %');
    expect(progressBar(0.05)).toBe('[█░░░░░░░░░░░░░░░░░░░]   5 %');
    expect(progressBar(0.999)).toBe('[███████████████████░]  99 %');
    expect(progressBar(1)).toBe('[████████████████████] 100 %');
  });

  it('prints every 2 s on a log, then the checks and the end', () => {
    let now = 0;
    const out: string[] = [];
    const print = progressPrinter((t) => out.push(t), false, () => now);
    for (let read = 1000; read <= 10_000; read += 1000) {
      now += 700;
      print({ stage: 'reading', read, written: read, fraction: read / 10_000 });
    }
    now += 500;
    print({ stage: 'checking', read: 10_000, written: 10_000, fraction: 1 });
    print({ stage: 'done', read: 10_000, written: 10_000, fraction: 1 });
    expect(out.map((l) => l.split(' / ')[1]!.trim())).toEqual([
      '3,000 rows read, 3,000 units written, 1,429 rows/s',
      '6,000 rows read, 6,000 units written, 1,429 rows/s',
      '9,000 rows read, 9,000 units written, 1,429 rows/s',
      '10,000 rows read, 10,000 units written, 1,333 rows/s; checking across units',
      '10,000 rows read, 10,000 units written, 1,333 rows/s; done',
    ]);
  });

  it('prints nothing for an import done within the first interval, and rewrites one line on a terminal', () => {
    let now = 0;
    const quiet: string[] = [];
    const small = progressPrinter((t) => quiet.push(t), false, () => now);
    now = 300;
    small({ stage: 'checking', read: 73, written: 73, fraction: 1 });
    small({ stage: 'done', read: 73, written: 73, fraction: 1 });
    expect(quiet).toEqual([]);

    const tty: string[] = [];
    const big = progressPrinter((t) => tty.push(t), true, () => now);
    now += 2_500;
    big({ stage: 'reading', read: 5000, written: 5000, fraction: 0.5 });
    big({ stage: 'done', read: 5000, written: 5000, fraction: 1 });
    // carriage return, the line, erase to the end of the line (ESC [ K); a line break only at the end
    expect(tty[0]!.startsWith('\r[██████████░░░░░░░░░░]  50 % · 5.000 dòng đã đọc')).toBe(true);
    expect(tty[0]!.endsWith('rows/s\u001b[K')).toBe(true);
    expect(tty[1]!.endsWith('; done\u001b[K\n')).toBe(true);
  });
});
