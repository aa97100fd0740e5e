// The plan must be the same whatever the machine's time zone: compute it in child processes under zones far
// from Hanoi (both sides of the date line, one with DST) and compare with this process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { calendarSamples } from './samples';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(__dirname, 'print-samples.ts');

const ZONES: [string, number][] = [
  ['UTC', 0],
  ['America/New_York', 240], // EDT on 31 March 2026
  ['Pacific/Kiritimati', -840],
  ['Pacific/Pago_Pago', 660],
];

describe('time-zone independence', () => {
  it('computes identical plans and holidays under every TZ', async () => {
    const here = JSON.parse(JSON.stringify(await calendarSamples()));
    const outputs = await Promise.all(
      ZONES.map(([tz]) => run(TSX, [SCRIPT], { cwd: ROOT, env: { ...process.env, TZ: tz }, maxBuffer: 64 * 1024 * 1024 })),
    );
    outputs.forEach(({ stdout }, i) => {
      const out = JSON.parse(stdout) as { tz: string; offsetMinutes: number; samples: unknown };
      const [tz, offset] = ZONES[i]!;
      // the child really ran in that zone
      expect(out.tz).toBe(tz);
      expect(out.offsetMinutes).toBe(offset);
      expect(out.samples).toEqual(here);
    });
  });
});
