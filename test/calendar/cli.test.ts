import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeadlinePlan } from '../../activities/calendar';
import { openMigratedDatabase } from '../../activities/db/database';
import { upsertUnits } from '../../activities/directory/repository';
import type { UnitInput } from '../../activities/directory/types';
import { registerCalendarCommands } from '../../client/cli/commands/calendar';
import { CliError } from '../../client/cli/output';

async function cli(...args: string[]): Promise<string> {
  const program = new Command().name('baocao').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerCalendarCommands(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'baocao', ...args]);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('baocao calendar plan', () => {
  it('prints each level in local time with Vietnamese weekdays', async () => {
    const out = await cli('calendar', 'plan', '--year', '2026');
    expect(out).toContain('Cấp 0 — đơn vị gốc / root');
    expect(out).toContain('Cấp 2 — cấp thấp nhất (cơ sở) / lowest level');
    expect(out).not.toContain('Cấp 3');
    expect(out).toContain('Kế hoạch / plan: hạn / due 31/03/2026 23:59 (Thứ Ba)');
    expect(out).toContain('Nhắc hạn / reminders: 20/03/2026 08:00 (Thứ Sáu); 26/03/2026 08:00 (Thứ Năm); 30/03/2026 08:00 (Thứ Hai)');
    expect(out).toContain('#5 16/04/2026 08:00 (Thứ Năm) → cấp trên hai cấp / grandparent');
    expect(out).toContain('Báo cáo / report: hạn / due 14/12/2026 23:59 (Thứ Hai)');
    expect(out).toContain('Đóng chu kỳ / cycle closes: 12/01/2027 23:59 (Thứ Ba)');
  });

  it('prints the DeadlinePlan with --json', async () => {
    const plan = JSON.parse(await cli('calendar', 'plan', '--year', '2024', '--depths', '2', '--first-year', '--report-due', '2024-12-20', '--json')) as DeadlinePlan;
    expect(plan.levels).toHaveLength(2);
    expect(plan.firstYear).toBe(true);
    expect(plan.levels[0]!.plan.dueAt).toBe('2024-09-30T16:59:59.000Z');
    expect(plan.levels[0]!.report.dueDate).toBe('2024-12-20');
  });

  it('rejects a report preset it does not know and a report due before the plan', async () => {
    await expect(cli('calendar', 'plan', '--year', '2026', '--report-due', 'june')).rejects.toThrow(/may-review, annual or a date/);
    await expect(cli('calendar', 'plan', '--year', '2026', '--first-year', '--report-due', 'may-review')).rejects.toThrow(/after the plan deadline/);
    await expect(cli('calendar', 'plan', '--year', '2026', '--root', 'X', '--depths', '2')).rejects.toThrow(CliError);
  });
});

describe('baocao calendar plan --root', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baocao-cli-'));
    process.env.BAOCAO_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  const unit = (id: string, kind: UnitInput['kind'], parentId: string | null): UnitInput => ({
    id,
    name: `Công đoàn ${id}`,
    kind,
    parentId,
    chair: { name: 'Nguyễn Văn A', email: `chair.${id.toLowerCase()}@example.vn` },
    officer: { name: 'Trần Thị B', email: `officer.${id.toLowerCase()}@example.vn` },
    language: 'vi',
    activeFrom: '2025-01-01',
    activeTo: null,
    distribution: [],
  });

  it('takes the number of levels from the unit directory', async () => {
    const db = await openMigratedDatabase({ kind: 'sqlite', file: join(dir, 'baocao.sqlite') });
    await upsertUnits(db, [
      unit('LDLD-HN', 'root', null),
      unit('LDLD-Q1', 'intermediate', 'LDLD-HN'),
      unit('CD-NGANH', 'intermediate', 'LDLD-Q1'),
      unit('CDCS-0412', 'grassroots', 'CD-NGANH'),
      unit('CDCS-0413', 'grassroots', 'LDLD-Q1'),
    ]);
    await db.destroy();
    const plan = JSON.parse(await cli('calendar', 'plan', '--year', '2026', '--root', 'LDLD-HN', '--as-of', '2026-01-15', '--json')) as DeadlinePlan;
    expect(plan.levels.map((l) => l.plan.dueDate)).toEqual(['2026-03-31', '2026-03-24', '2026-03-17', '2026-03-10']);
    const human = await cli('calendar', 'plan', '--year', '2026', '--root', 'LDLD-Q1', '--as-of', '2026-01-15');
    expect(human).toContain('Kế hoạch hạn nộp năm 2026 — LDLD-Q1');
    expect(human).toContain('Cấp 2 — cấp thấp nhất');
    expect(human).not.toContain('Cấp 3');
  });

  it('fails clearly for a unit that is not in the directory', async () => {
    await expect(cli('calendar', 'plan', '--year', '2026', '--root', 'NOPE', '--json')).rejects.toThrow(/NOPE/);
  });
});

describe('baocao calendar holidays', () => {
  it('lists closures, holidays and working Saturdays with names', async () => {
    const out = await cli('calendar', 'holidays', '--year', '2026');
    expect(out).toContain('14/02/2026 (Thứ Bảy)  Nghỉ Tết Nguyên đán Bính Ngọ');
    expect(out).toContain('27/04/2026 (Thứ Hai)  Nghỉ bù Giỗ Tổ Hùng Vương');
    expect(out).toContain('10/01/2026 (Thứ Bảy)  Làm bù cho Thứ Sáu 2/1/2026');
    expect(out).not.toContain('28/03/2026'); // an ordinary Saturday
  });

  it('says when a year follows the statutory rules only, and prints JSON', async () => {
    expect(await cli('calendar', 'holidays', '--year', '2030')).toContain('statutory rules only');
    const data = JSON.parse(await cli('calendar', 'holidays', '--year', '2027', '--json')) as { announced: boolean; days: { date: string; kind: string; weekday: string }[] };
    expect(data.announced).toBe(true);
    expect(data.days.find((d) => d.date === '2027-02-10')).toMatchObject({ kind: 'compensatory', weekday: 'Thứ Tư' });
  });
});
