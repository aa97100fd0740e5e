import { describe, expect, it } from 'vitest';
import { contentDisposition, safeFilename } from '../../client/web/download';

const decoded = (header: string) => decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(header)![1]!);

describe('Content-Disposition of downloads (RFC 6266 / RFC 5987)', () => {
  it('keeps Vietnamese names (as NFC) in filename*, with an ASCII fallback', () => {
    const nfd = 'Báo cáo tổng hợp – Trường THCS Ngọc Thụy.docx'.normalize('NFD');
    const header = contentDisposition(nfd, 'bao-cao.docx');
    expect(header).toMatch(/^attachment; filename="bao-cao\.docx"; filename\*=UTF-8''[A-Za-z0-9%._~!#$&+^`|-]+$/);
    expect(decoded(header)).toBe('Báo cáo tổng hợp – Trường THCS Ngọc Thụy.docx'.normalize('NFC'));
  });

  it('escapes what attr-char does not allow and never lets a name break the header or a path', () => {
    const header = contentDisposition('Công đoàn "Ánh Sáng" (cơ sở) */\\ <x>\r\nSet-Cookie: a=b.docx', 'Ánh "x".docx');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toContain("filename*=UTF-8''");
    expect(header.split("filename*=UTF-8''")[1]).not.toMatch(/['()*"\s]/);
    expect(decoded(header)).toBe('Công đoàn -Ánh Sáng- (cơ sở) - -x-Set-Cookie- a=b.docx');
    expect(header).toMatch(/^attachment; filename="_nh -x-\.docx"; /);
  });

  it('shortens a very long name and keeps its extension', () => {
    const long = `${'Công đoàn cơ sở '.repeat(20)}.xlsx`;
    const name = safeFilename(long);
    expect(name.length).toBeLessThanOrEqual(150);
    expect(name.endsWith('.xlsx')).toBe(true);
    expect(name.startsWith('Công đoàn cơ sở Công đoàn')).toBe(true);
  });
});
