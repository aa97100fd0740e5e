// The CLI's attachments, in-process on a temporary data directory holding the fixture archive, against both
// stores (the filesystem and S3 on a real MinIO): `cycle document` attaches the issuing document's files (the
// content check refuses an executable), lists and removes them; `cycle export --files DIR` writes every unit's
// final files into a folder per unit — safe names with their diacritics, the latest version's files only, the
// bytes as stored, a progress line — and refuses a folder that is not empty.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { openMigratedDatabase, type Db } from '../../activities/db/database';
import { createFileStorage, stagingDir } from '../../activities/files';
import { safeName } from '../../activities/files/export';
import { markAttached } from '../../activities/files/repository';
import { acceptUpload } from '../../activities/files/uploads';
import { registerDocumentCommands } from '../../client/cli/commands/documents';
import { registerIssuingCommands } from '../../client/cli/commands/issuing';
import { loadConfig } from '../../common/config';
import { buildArchive, CYCLE, NAMES } from '../documents/fixture';
import { runCli } from '../support/cli';
import { startObjectStore, type TestObjectStore } from '../support/objectstore';
import { sampleDocx, sampleExe, samplePdf } from './samples';
import { bytesStream } from './support';

const run = (...args: string[]) =>
  runCli((p) => {
    registerDocumentCommands(p);
    registerIssuingCommands(p);
  }, ...args);

let minio: TestObjectStore;
beforeAll(async () => {
  minio = await startObjectStore();
}, 120_000);
afterAll(async () => minio?.stop());

describe.each(['fs', 's3'] as const)('the CLI’s files on the %s store', (store) => {
  let dataDir: string;
  let db: Db;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baocao-cli-files-'));
    vi.stubEnv('BAOCAO_DATA_DIR', dataDir);
    vi.stubEnv('DATABASE_URL', undefined);
    vi.stubEnv('BAOCAO_FILES_STORE', store);
    if (store === 's3') {
      const c = minio.config;
      vi.stubEnv('BAOCAO_S3_ENDPOINT', c.endpoint);
      vi.stubEnv('BAOCAO_S3_BUCKET', c.bucket);
      vi.stubEnv('BAOCAO_S3_ACCESS_KEY_ID', c.accessKeyId);
      vi.stubEnv('BAOCAO_S3_SECRET_ACCESS_KEY', c.secretAccessKey);
      vi.stubEnv('BAOCAO_S3_REGION', c.region);
      // a prefix of this test's own: both rounds share the bucket
      vi.stubEnv('BAOCAO_S3_PREFIX', `${c.prefix}cli-${Date.now()}/`);
    }
    db = await openMigratedDatabase(loadConfig().database);
    await buildArchive(db);
  });
  afterEach(async () => {
    await db.destroy();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let seq = 0;
  /** A unit's upload carried by `version` of its phase, as the archive activity marks it (uploaded in call order). */
  async function submitted(unitId: string, phase: 'plan' | 'report', version: number, name: string, bytes: Buffer) {
    const config = loadConfig();
    const storage = createFileStorage(config.files.store);
    try {
      const ref = await acceptUpload(
        { db, storage, stagingDir: stagingDir(config), maxFileBytes: config.files.maxFileBytes },
        { source: bytesStream(bytes), name, owner: { kind: 'submission', cycleId: CYCLE, unitId, phase }, uploadedBy: unitId, now: new Date(Date.UTC(2027, 11, version, 1, ++seq)) },
      );
      await markAttached(db, [ref.id], version, `2027-12-0${version}T02:00:00.000Z`);
      return ref;
    } finally {
      await storage.close();
    }
  }

  it('cycle document: attaches, lists, refuses an executable, removes', async () => {
    const pdf = join(dataDir, 'Kế hoạch số 18 – bản ký.pdf');
    const docx = join(dataDir, 'Hướng dẫn đề cương.docx');
    const exe = join(dataDir, 'ke-hoach.pdf');
    writeFileSync(pdf, await samplePdf('Ke hoach so 18'));
    writeFileSync(docx, await sampleDocx());
    writeFileSync(exe, sampleExe());
    const r = await run('cycle', 'document', CYCLE, '--attach', pdf, docx, exe, '--number', '18/KH-LĐLĐ', '--signer', 'TM. BAN THƯỜNG VỤ – CHỦ TỊCH Nguyễn Văn Bình', '--by', 'tuyengiao@ldld-hn.vn');
    expect(r.error).toBeUndefined();
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(r.stdout).toContain('number / số:      18/KH-LĐLĐ');
    expect(r.stdout).toContain('Kế hoạch số 18 – bản ký.pdf  (application/pdf');
    expect(r.stdout).toContain('Hướng dẫn đề cương.docx');
    expect(r.stdout).toMatch(/refused \/ không nhận: .*ke-hoach\.pdf.*không phải PDF.*is not one of/s);
    // the title falls back to the root's own plan (today's cycles: it is the issuing document)
    expect(r.stdout).toContain('title / trích yếu: Kế hoạch học tập và làm theo tư tưởng');

    const listed = await run('cycle', 'document', CYCLE, '--list', '--json');
    const doc = JSON.parse(listed.stdout) as { files: { id: string; name: string; uploadedBy: string; attachedAt: string | null }[] };
    expect(doc.files.map((f) => [f.name, f.uploadedBy])).toEqual([
      ['Kế hoạch số 18 – bản ký.pdf', 'tuyengiao@ldld-hn.vn'],
      ['Hướng dẫn đề cương.docx', 'tuyengiao@ldld-hn.vn'],
    ]);
    expect(doc.files.every((f) => f.attachedAt !== null)).toBe(true);
    const removed = await run('cycle', 'document', CYCLE, '--remove', doc.files[1]!.id, '--json');
    expect((JSON.parse(removed.stdout) as { files: unknown[] }).files).toHaveLength(1);
    const missing = await run('cycle', 'document', CYCLE, '--remove', doc.files[1]!.id);
    expect(String((missing.error as Error).message)).toContain('has no document file');
  });

  it('cycle export --files: a folder per unit, the latest version’s files, names kept, bytes as stored', async () => {
    const v1 = await samplePdf('Bao cao lan 1');
    const v2 = await samplePdf('Bao cao lan 2');
    const annex = await samplePdf('Phu luc');
    const plan = await samplePdf('Ke hoach');
    await submitted('CDCS-NT', 'report', 1, 'Báo cáo – bản ký.pdf', v1);
    await submitted('CDCS-NT', 'report', 2, 'Báo cáo – bản ký.pdf', v2);
    await submitted('CDCS-NT', 'report', 2, 'Phụ lục: số liệu?.pdf', annex);
    await submitted('CDCS-NT', 'report', 2, 'phụ lục: số liệu?.pdf', annex);
    await submitted('LDLD-LB', 'plan', 1, 'Kế hoạch năm 2027.pdf', plan);
    const out = join(dataDir, 'xuat-tep');
    const r = await run('cycle', 'export', CYCLE, '--files', out);
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain(`Wrote 4 files (${v2.length + 2 * annex.length + plan.length} bytes) of 2 units into ${out}`);
    expect(r.stderr).toMatch(/4\/4 tệp, 2\/2 đơn vị \/ 4\/4 files, 2\/2 units/);
    const nt = `CDCS-NT – ${NAMES['CDCS-NT'].normalize('NFC')}`;
    expect(readdirSync(out).sort()).toEqual([`CDCS-NT – ${NAMES['CDCS-NT'].normalize('NFC')}`, `LDLD-LB – ${NAMES['LDLD-LB']}`].sort());
    expect(readdirSync(join(out, nt))).toEqual(['Báo cáo kết quả năm']);
    expect(readdirSync(join(out, nt, 'Báo cáo kết quả năm')).sort()).toEqual(['Báo cáo – bản ký.pdf', 'Phụ lục- số liệu-.pdf', 'phụ lục- số liệu- (2).pdf'].sort());
    expect(readFileSync(join(out, nt, 'Báo cáo kết quả năm', 'Báo cáo – bản ký.pdf')).equals(v2)).toBe(true);
    expect(readFileSync(join(out, `LDLD-LB – ${NAMES['LDLD-LB']}`, 'Kế hoạch năm', 'Kế hoạch năm 2027.pdf')).equals(plan)).toBe(true);
    expect(existsSync(join(out, nt, 'Báo cáo kết quả năm', 'Báo cáo – bản ký.pdf.part'))).toBe(false);
  });

  it('cycle export --files refuses a folder that is not empty, in both languages, and writes nothing', async () => {
    const out = join(dataDir, 'da-co');
    mkdirSync(out);
    writeFileSync(join(out, 'ghi-chu.txt'), 'x');
    const r = await run('cycle', 'export', CYCLE, '--files', out);
    expect(String((r.error as Error).message)).toMatch(/Thư mục .* đã có 1 mục.*The folder .* is not empty \(1 entries\)/s);
    expect(readdirSync(out)).toEqual(['ghi-chu.txt']);
  });
});

describe('safe folder and file names', () => {
  it('keep diacritics, replace what filesystems refuse, cut long names at a character, keep the extension', () => {
    expect(safeName('Công đoàn cơ sở Trường THCS Ngọc Thụy'.normalize('NFD'))).toBe('Công đoàn cơ sở Trường THCS Ngọc Thụy');
    expect(safeName('a/b\\c:d*e?f"g<h>i|j\u0007.pdf')).toBe('a-b-c-d-e-f-g-h-i-j .pdf'.replace(' .pdf', '.pdf'));
    expect(safeName('CON.pdf')).toBe('_CON.pdf');
    expect(safeName('...')).toBe('_');
    expect(safeName('tên. ')).toBe('tên');
    const long = safeName(`${'Báo cáo kết quả '.repeat(30)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
