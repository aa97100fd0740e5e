// The type of an upload is read from its bytes: real files of each accepted type pass, an executable named
// .pdf, a zip bomb dressed as a DOCX and a DOCX that lies about its sizes are refused in both languages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../activities/files/errors';
import { inspectFile } from '../../activities/files/inspect';
import { fileNameProblem } from '../../domain/file-ref';
import { lyingDocx, sampleDocx, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx, zipBombDocx } from './samples';

const dir = mkdtempSync(join(tmpdir(), 'baocao-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function inspect(bytes: Buffer, name: string) {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, bytes);
  return inspectFile(path, name);
}

describe('content check', () => {
  it.each([
    ['PDF', samplePdf, 'application/pdf'],
    ['DOCX', sampleDocx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['XLSX', sampleXlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['PNG', async () => samplePng(), 'image/png'],
    ['JPEG', async () => sampleJpeg(), 'image/jpeg'],
  ] as const)('takes a real %s by its bytes, whatever it is called', async (_label, make, mime) => {
    expect(await inspect(await make(), 'tên-bất-kỳ.txt')).toBe(mime);
  });

  it('refuses an executable renamed .pdf, saying what it is, in Vietnamese and English', async () => {
    const err = await inspect(sampleExe(), 'Báo cáo.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toBe('type');
    expect((err as Error).message).toMatch(/không phải PDF, DOCX, XLSX, JPEG hay PNG.*application\/x-msdownload.*is not one of PDF/s);
  });

  it('refuses plain text, an empty file and a PDF cut short (no %%EOF at its end)', async () => {
    await expect(inspect(Buffer.from('Just text, not a document'), 'a.pdf')).rejects.toMatchObject({ reason: 'type' });
    const pdf = await samplePdf();
    await expect(inspect(pdf.subarray(0, pdf.length - 100), 'a.pdf')).rejects.toMatchObject({ reason: 'incomplete', message: expect.stringMatching(/không trọn vẹn.*incomplete/s) });
    await expect(inspect(Buffer.alloc(0), 'a.pdf')).rejects.toMatchObject({ reason: 'empty' });
  });

  it('refuses a zip bomb dressed as a DOCX from its directory, without unpacking it', async () => {
    const bomb = await zipBombDocx(60);
    expect(bomb.length).toBeLessThan(1024 * 1024); // 60 MB of zeros pack into a few tens of KB
    const err = await inspect(bomb, 'ke-hoach.docx').catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'zip-bomb' });
    expect((err as Error).message).toMatch(/cấu trúc nén bất thường.*times its size/s);
  });

  it('refuses a DOCX whose directory claims gigabytes unpacked', async () => {
    await expect(inspect(await lyingDocx(), 'x.docx')).rejects.toMatchObject({ reason: 'zip-bomb', message: expect.stringMatching(/unpacks to more than 512 MB/) });
  });
});

describe('file names', () => {
  it('keeps Vietnamese names and refuses paths and control characters', () => {
    expect(fileNameProblem('Báo cáo quý I – Công đoàn cơ sở.pdf')).toBeNull();
    expect(fileNameProblem('bao..cao.pdf')).toBeNull();
    expect(fileNameProblem('../../etc/passwd')).toMatch(/đường dẫn/);
    expect(fileNameProblem('..\\win.ini')).toMatch(/path/);
    expect(fileNameProblem('..')).toMatch(/path/);
    expect(fileNameProblem('bad\u0007name.pdf')).toMatch(/U\+0007/);
    expect(fileNameProblem('two\nlines.pdf')).toMatch(/line break/);
    expect(fileNameProblem('ệ'.repeat(86) + '.pdf')).toMatch(/255 bytes/);
  });
});
