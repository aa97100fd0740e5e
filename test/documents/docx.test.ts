// The aggregate report DOCX, generated from a fixture archive and read back from word/document.xml: layout
// blocks, title, outline sections, figures per unit with totals, late and missing units, commendations,
// "Nơi nhận" and the signature; Vietnamese text NFC-intact; page setup per Decree 30.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAggregate } from '../../activities/archive/aggregates';
import { rebuildAggregate } from '../../activities/archive/subtree';
import type { Db } from '../../activities/db/database';
import { renderAggregateDocx } from '../../activities/documents/aggregate-docx';
import { buildAggregateDocument, gatherAggregateDocument } from '../../activities/documents/aggregate-document';
import { DocumentInputError } from '../../activities/documents/errors';
import { DOCX_CONTENT_TYPE, REPORT_SECTIONS } from '../../activities/documents/labels';
import { aggregateUpwardInput } from '../../activities/mail/schemas';
import type { Aggregate } from '../../workflows/aggregate-types';
import { testDatabases, type TestDatabase } from '../db/databases';
import { AS_OF, buildArchive, CHAIR_LB, CYCLE, DISTRIBUTION_LB, DISTRICT, NAMES, NFD_UNIT, ROOT } from './fixture';
import { docxPart, docxParagraphs, type DocxParagraph } from './ooxml';

const texts = (ps: DocxParagraph[]) => ps.map((p) => p.text);

/** The texts of the `n` paragraphs (table cells) following the first paragraph whose text is `first`. */
function after(ps: DocxParagraph[], first: string, n: number): string[] {
  const i = ps.findIndex((p) => p.text === first);
  expect(i, `"${first}" is in the document`).toBeGreaterThanOrEqual(0);
  return texts(ps.slice(i + 1, i + 1 + n));
}

const one = (ps: DocxParagraph[], text: string) => {
  const p = ps.find((x) => x.text === text);
  expect(p, `a paragraph reading "${text}"`).toBeDefined();
  return p!;
};

async function districtDocument(db: Db, aggregate?: Aggregate, extra: { number?: string; place?: string; subject?: string } = {}) {
  const a = aggregate ?? (await rebuildAggregate(db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF }));
  const doc = await buildAggregateDocument(db, { cycleId: CYCLE, unitId: DISTRICT, aggregate: a, ...extra });
  const bytes = Buffer.from(doc.contentBase64, 'base64');
  return { doc, bytes, paragraphs: await docxParagraphs(bytes) };
}

describe.each(testDatabases())('aggregate report DOCX on $name', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await kind.open();
    await buildArchive(t.db);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('is an attachment sendAggregateUpward accepts', async () => {
    const { doc, bytes } = await districtDocument(t.db);
    expect(doc).toMatchObject({ filename: `bao-cao-${CYCLE}-${DISTRICT}.docx`, contentType: DOCX_CONTENT_TYPE });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const aggregate = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    expect(aggregateUpwardInput.safeParse({ key: 'k', cycleId: CYCLE, aggregate, final: false, attachments: [doc] }).success).toBe(true);
  });

  it('opens with the issuer block, the national name and motto, the symbol and the place and date', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    expect(texts(ps).slice(0, 7)).toEqual([
      'LĐLĐ THÀNH PHỐ HÀ NỘI',
      'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN',
      '',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      '',
      expect.stringMatching(/^Số:\s+\/BC-LĐLĐ$/u),
    ]);
    expect(ps[1]!.xml).toContain('<w:b/>');
    expect(ps[0]!.xml).not.toContain('<w:b/>');
    // 17:00 on 10 December in Hà Nội; the place is read from the district's name
    const dateLine = one(ps, 'Long Biên, ngày 10 tháng 12 năm 2027');
    expect(dateLine.xml).toContain('<w:i/>');
    expect(texts(ps)).toContain('(Số liệu tổng hợp đến 17:00 ngày 10/12/2027)');
  });

  it('has the title, the intro and the outline’s sections with the district’s own narrative', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    const all = texts(ps);
    expect(one(ps, 'BÁO CÁO').xml).toContain('<w:b/>');
    expect(all).toContain('Kết quả thực hiện Kế hoạch số 18/KH-LĐLĐ năm 2027');
    expect(all).toContain(
      'Thực hiện Kế hoạch số 18/KH-LĐLĐ của Ban Thường vụ Liên đoàn Lao động Thành phố Hà Nội, Ban Thường vụ Liên đoàn Lao động Quận Long Biên báo cáo kết quả thực hiện Kế hoạch số 18/KH-LĐLĐ năm 2027 như sau:',
    );
    const headings = Object.values(REPORT_SECTIONS);
    const positions = headings.map((h) => all.indexOf(h));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(after(ps, REPORT_SECTIONS.leadership, 1)).toEqual(['Ban Thường vụ Liên đoàn Lao động Quận Long Biên ban hành kế hoạch và hướng dẫn thực hiện.']);
    expect(after(ps, REPORT_SECTIONS.implementation, 2)).toEqual(['Tổ chức học tập chuyên đề năm 2027 cho đoàn viên, người lao động.', '- Hình thức: trực tiếp và trực tuyến.']);
  });

  it('tabulates the figures of each unit directly below (whole subtrees), the district’s own and the total', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    expect(after(ps, NAMES['CD-KCQ'], 6)).toEqual(['Đúng hạn', 'Đúng hạn', '5', '155', '1', '4']);
    expect(after(ps, NAMES['CDCS-BV'], 6)).toEqual(['Quá hạn', 'Quá hạn', '0', '0', '0', '0']);
    expect(after(ps, NAMES['CDCS-DG'], 6)).toEqual(['Đúng hạn', 'Đúng hạn', '12', '850', '3', '10']);
    expect(after(ps, NAMES['CDCS-NT'], 6)).toEqual(['Nộp muộn', 'Nộp muộn', '4', '120', '1', '2']);
    expect(after(ps, 'Liên đoàn Lao động Quận Long Biên (trực tiếp thực hiện)', 6)).toEqual(['', '', '5', '400', '2', '4']);
    expect(after(ps, 'Tổng cộng', 6)).toEqual(['3/4', '3/4', '26', '1.525', '7', '20']);
    expect(texts(ps)).toContain(
      'Toàn đơn vị tổ chức 26 lớp học tập, quán triệt với 1.525 lượt người tham gia; phát hiện, xây dựng và nhân rộng 7 mô hình điển hình và 20 gương điển hình. Số liệu theo từng đơn vị trực thuộc:',
    );
    // the table agrees with the aggregate: no note
    expect(texts(ps).some((x) => x.startsWith('Ghi chú'))).toBe(false);
  });

  it('keeps every Vietnamese name NFC, also one stored decomposed in the directory', async () => {
    const { bytes, paragraphs: ps } = await districtDocument(t.db);
    const nfd = NAMES[NFD_UNIT].normalize('NFD');
    expect(nfd).not.toBe(NAMES[NFD_UNIT]);
    const all = texts(ps).join('\n');
    expect(all).toContain(NAMES[NFD_UNIT]);
    expect(all).not.toContain(nfd);
    expect(all).toBe(all.normalize('NFC'));
    const xml = await docxPart(bytes, 'word/document.xml');
    expect(xml).toBe(xml.normalize('NFC'));
  });

  it('lists the late and missing units by name with counts and DHIS2 rates', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    const all = texts(ps);
    const report = all.indexOf('b) Báo cáo');
    expect(report).toBeGreaterThan(all.indexOf('a) Kế hoạch'));
    expect(all.slice(report + 1, report + 7)).toEqual([
      'Số đơn vị phải nộp: 6; đã nộp: 4 (đúng hạn: 3, nộp muộn: 1); chưa nộp: 2 (trong đó quá hạn: 1). Tỷ lệ nộp đầy đủ: 66,7%; tỷ lệ nộp đúng hạn: 50%.',
      '- Các đơn vị nộp muộn (1 đơn vị):',
      `+ ${NAMES['CDCS-NT']}.`,
      '- Các đơn vị chưa nộp (2 đơn vị):',
      `+ ${NAMES['CDCS-PGD']};`,
      `+ ${NAMES['CDCS-BV']}.`,
    ]);
    expect(all).toContain('Số đơn vị phải nộp: 6; đã nộp: 5 (đúng hạn: 4, nộp muộn: 1); chưa nộp: 1 (trong đó quá hạn: 1). Tỷ lệ nộp đầy đủ: 83,3%; tỷ lệ nộp đúng hạn: 66,7%.');
  });

  it('lists commendation proposals, collectives first, with the proposing unit', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    expect(texts(ps)).toContain('Tổng số đề nghị: 3 (1 tập thể, 2 cá nhân), gồm:');
    expect(after(ps, 'Đơn vị đề nghị', 15)).toEqual([
      '1', 'Tập thể', 'Tổ may số 3, Xí nghiệp may Đức Giang', 'Dẫn đầu phong trào thi đua lao động giỏi', NAMES['CDCS-DG'],
      '2', 'Cá nhân', 'Đặng Quốc Việt', 'Cán bộ công đoàn tiêu biểu', NAMES['LDLD-LB'],
      '3', 'Cá nhân', 'Nguyễn Thị Ngọc Ánh', 'Gương điển hình làm theo Bác', NAMES['CDCS-DG'],
    ]);
  });

  it('ends with the closing sentence, "Nơi nhận" on the left and the signature block on the right', async () => {
    const { paragraphs: ps } = await districtDocument(t.db);
    const all = texts(ps);
    const closing = all.indexOf('Trên đây là báo cáo kết quả thực hiện Kế hoạch số 18/KH-LĐLĐ năm 2027 của Ban Thường vụ Liên đoàn Lao động Quận Long Biên./.');
    expect(closing).toBeGreaterThan(all.indexOf(REPORT_SECTIONS.commendations));
    expect(all.slice(closing + 1, closing + 6)).toEqual(['Nơi nhận:', ...DISTRIBUTION_LB.map((d) => `- ${d};`), '- Lưu: VP, TG.']);
    expect(one(ps, 'Nơi nhận:').xml).toMatch(/<w:b\/>[\s\S]*<w:i\/>/);
    expect(all.slice(closing + 6, closing + 9)).toEqual(['TM. BAN THƯỜNG VỤ', 'CHỦ TỊCH', '']);
    expect(all.at(-1)).toBe(CHAIR_LB);
    expect(ps.at(-1)!.xml).toContain('<w:b/>');
  });

  it('uses A4, Decree 30 margins, Times New Roman 14 pt and page numbers from the second page', async () => {
    const { bytes } = await districtDocument(t.db);
    const xml = await docxPart(bytes, 'word/document.xml');
    const attr = (el: string, name: string) => Number(new RegExp(`<w:${el}\\b[^>]*\\bw:${name}="(\\d+)"`).exec(xml)?.[1]);
    const twipsPerMm = 1440 / 25.4;
    expect(Math.round(attr('pgSz', 'w') / twipsPerMm)).toBe(210);
    expect(Math.round(attr('pgSz', 'h') / twipsPerMm)).toBe(297);
    const margin = (side: string) => attr('pgMar', side) / twipsPerMm;
    expect(margin('top')).toBeGreaterThanOrEqual(19.9);
    expect(margin('top')).toBeLessThanOrEqual(25);
    expect(margin('bottom')).toBeGreaterThanOrEqual(19.9);
    expect(margin('bottom')).toBeLessThanOrEqual(25);
    expect(margin('left')).toBeGreaterThanOrEqual(29.9);
    expect(margin('left')).toBeLessThanOrEqual(35);
    expect(margin('right')).toBeGreaterThanOrEqual(14.9);
    expect(margin('right')).toBeLessThanOrEqual(20);
    expect(xml).toContain('<w:titlePg/>');
    const styles = await docxPart(bytes, 'word/styles.xml');
    expect(styles).toMatch(/<w:rFonts w:ascii="Times New Roman"[^>]*w:hAnsi="Times New Roman"/);
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*<w:sz w:val="28"\/>/);
    const headers = await Promise.all(['word/header1.xml', 'word/header2.xml'].map((p) => docxPart(bytes, p)));
    expect(headers.filter((h) => h.includes('PAGE')).length).toBe(1);
  });

  it('dates the report in Hà Nội time whatever the machine’s zone, and honours number, place and subject', async () => {
    const base = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    // 18:30 UTC on 10 December is 01:30 on 11 December in Hà Nội
    const late = { ...base, asOf: '2027-12-10T18:30:00.000Z' };
    const { paragraphs: ps } = await districtDocument(t.db, late, { number: '25', place: 'Quận Long Biên', subject: 'Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW' });
    const all = texts(ps);
    expect(all).toContain('Quận Long Biên, ngày 11 tháng 12 năm 2027');
    expect(all).toContain('(Số liệu tổng hợp đến 01:30 ngày 11/12/2027)');
    expect(all).toContain('Số: 25/BC-LĐLĐ');
    expect(all).toContain('Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW');
    expect(all.some((x) => x.startsWith('Trên đây là báo cáo sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW của Ban Thường vụ'))).toBe(true);
  });

  it('notes when the aggregate sent upward differs from the archive at its instant', async () => {
    const base = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    const stale = { ...base, totalFigures: { ...base.totalFigures, participants: 1400 } };
    const { paragraphs: ps } = await districtDocument(t.db, stale);
    const note = texts(ps).find((x) => x.startsWith('Ghi chú'));
    expect(note).toContain('số lượt người tham gia: 1.400');
    expect(after(ps, 'Tổng cộng', 6)).toEqual(['3/4', '3/4', '26', '1.525', '7', '20']);
  });

  it('writes the root’s report under the national confederation, with its units below and no preamble', async () => {
    const closing = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: ROOT });
    await recordAggregate(t.db, { key: 'root-final', aggregate: closing, final: true });
    const input = await gatherAggregateDocument(t.db, { cycleId: CYCLE, unitId: ROOT, aggregate: closing, final: true });
    expect(input.issuer).toEqual({ unitId: ROOT, name: NAMES[ROOT], kind: 'root', superiorName: 'Tổng Liên đoàn Lao động Việt Nam', abbreviation: 'LĐLĐ' });
    expect(input.place).toBe('Hà Nội');
    expect(input.rows.map((r) => r.unitId)).toEqual(['LDLD-GL', DISTRICT]);
    expect(input.intro).toBe('Ban Thường vụ Liên đoàn Lao động Thành phố Hà Nội báo cáo kết quả thực hiện Kế hoạch số 18/KH-LĐLĐ năm 2027 như sau:');
    const ps = await docxParagraphs(await renderAggregateDocx(input));
    expect(texts(ps).slice(0, 2)).toEqual(['TỔNG LĐLĐ VIỆT NAM', 'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI']);
    expect(texts(ps)).toContain('(Số liệu tổng hợp đến 23:59 ngày 31/12/2027, khi kết thúc chu kỳ)');
    // the root has not reported: its sections say so, and Gia Lâm (never reported) is listed as missing
    expect(after(ps, REPORT_SECTIONS.leadership, 1)).toEqual(['(Đơn vị chưa gửi báo cáo nội dung phần này.)']);
    expect(after(ps, NAMES['LDLD-GL'], 6)).toEqual(['Quá hạn', 'Quá hạn', '0', '0', '0', '0']);
    expect(after(ps, 'Tổng cộng', 6)).toEqual(['1/2', '1/2', '126', '1.625', '107', '120']);
  });

  it('refuses inputs that do not fit together, with typed errors', async () => {
    const a = await rebuildAggregate(t.db, { cycleId: CYCLE, unitId: DISTRICT, asOf: AS_OF });
    await expect(buildAggregateDocument(t.db, { cycleId: CYCLE, unitId: ROOT, aggregate: a })).rejects.toBeInstanceOf(DocumentInputError);
    const input = await gatherAggregateDocument(t.db, { cycleId: CYCLE, unitId: DISTRICT, aggregate: a });
    await expect(renderAggregateDocx({ ...input, date: '10/12/2027' })).rejects.toThrow(/date/);
  });
});
