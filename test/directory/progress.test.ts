// The progress line of `baocao units import`: every 2 s while it runs (rows read, units written, rate), in
// Vietnamese and English; nothing at all for an import done sooner.
import { describe, expect, it } from 'vitest';
import { progressPrinter, progressText } from '../../client/cli/commands/units';

describe('the import progress line', () => {
  it('reads rows, units and the rate in both languages', () => {
    expect(progressText({ stage: 'reading', read: 52_000, written: 51_000 }, 20_000)).toBe(
      '52.000 dòng đã đọc, 51.000 đơn vị đã ghi, 2.600 dòng/giây / 52,000 rows read, 51,000 units written, 2,600 rows/s',
    );
    expect(progressText({ stage: 'done', read: 130_000, written: 130_000 }, 50_000)).toMatch(/; xong \/ .*; done$/);
  });

  it('prints every 2 s on a log, then the checks and the end', () => {
    let now = 0;
    const out: string[] = [];
    const print = progressPrinter((t) => out.push(t), false, () => now);
    for (let read = 1000; read <= 10_000; read += 1000) {
      now += 700;
      print({ stage: 'reading', read, written: read });
    }
    now += 500;
    print({ stage: 'checking', read: 10_000, written: 10_000 });
    print({ stage: 'done', read: 10_000, written: 10_000 });
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
    small({ stage: 'checking', read: 73, written: 73 });
    small({ stage: 'done', read: 73, written: 73 });
    expect(quiet).toEqual([]);

    const tty: string[] = [];
    const big = progressPrinter((t) => tty.push(t), true, () => now);
    now += 2_500;
    big({ stage: 'reading', read: 5000, written: 5000 });
    big({ stage: 'done', read: 5000, written: 5000 });
    // carriage return, the line, erase to the end of the line (ESC [ K); a line break only at the end
    expect(tty[0]!.startsWith('\r5.000 dòng đã đọc')).toBe(true);
    expect(tty[0]!.endsWith('rows/s\u001b[K')).toBe(true);
    expect(tty[1]!.endsWith('; done\u001b[K\n')).toBe(true);
  });
});
