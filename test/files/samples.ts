// Real files of every accepted type, made by the test (pdf-lib, docx, exceljs, zlib), and the bad ones the
// content check must refuse: an executable, a zip bomb dressed as a DOCX, a DOCX that lies about its sizes.
import { deflateSync, crc32 } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function samplePdf(text = 'Bao cao ket qua - TM. Ban Thuong vu'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 14, font: await pdf.embedFont(StandardFonts.Helvetica) });
  pdf.setTitle('Báo cáo kết quả');
  return Buffer.from(await pdf.save());
}

export async function sampleDocx(): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: [new Paragraph('Kế hoạch tuyên truyền, học tập Nghị quyết năm 2027')] }] });
  return Packer.toBuffer(doc);
}

export async function sampleXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Số liệu').addRow(['Số lớp học', 12]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 2×2 RGB PNG. */
export function samplePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The first bytes of a JPEG (SOI, JFIF APP0) and an end marker: what magic-byte detection reads. */
export function sampleJpeg(): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, Buffer.alloc(64, 0), Buffer.from([0xff, 0xd9])]);
}

/** A Windows executable's header (MZ … PE): what a renamed .exe starts with. */
export function sampleExe(): Buffer {
  const b = Buffer.alloc(512, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84); // i386
  return b;
}

const DOCX_CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/** A DOCX-looking ZIP ([Content_Types].xml of a Word document) with one entry of `megabytes` of zeros: ratio ~1000. */
export async function zipBombDocx(megabytes = 60): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', DOCX_CONTENT_TYPES);
  zip.file('word/document.xml', '<w:document/>');
  zip.file('word/media/image1.png', Buffer.alloc(megabytes * 1024 * 1024, 0));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** A small real DOCX whose central directory claims one entry unpacks to ~4 GB (a lying header). */
export async function lyingDocx(): Promise<Buffer> {
  const b = Buffer.from(await sampleDocx());
  for (let i = b.length - 22; i >= 0; i--) {
    if (b.readUInt32LE(i) === 0x02014b50) {
      b.writeUInt32LE(0xfffffff0, i + 24); // uncompressed size of the last central directory entry
      break;
    }
  }
  return b;
}
