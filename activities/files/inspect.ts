// What an upload really is, read from its bytes (magic numbers, and for DOCX/XLSX the OOXML package's
// [Content_Types].xml), never from its name: file-type does the detection. A DOCX or XLSX is a ZIP, so its
// central directory is checked too before anyone opens it — entry count, the sizes it declares once unpacked,
// and the ratio to its packed size — without inflating it: a zip bomb dressed as a DOCX is refused cheaply.
import { open, stat } from 'node:fs/promises';
import yauzl from 'yauzl';
import { ATTACHMENT_TYPES, type AttachmentType } from '../../domain/file-ref';
import { FileRejectedError } from './errors';
import { formatMegabytes } from './limits';

/** An Office document unpacks to a few times its size; more than this is a bomb or not an Office document. */
export const ZIP_MAX_ENTRIES = 10_000;
export const ZIP_MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** unpacked ÷ packed over the whole archive; text XML reaches 10–30, a bomb thousands */
export const ZIP_MAX_RATIO = 100;

const ACCEPTED = Object.values(ATTACHMENT_TYPES)
  .map((t) => t.label)
  .join(', ');

const ZIP_TYPES = new Set<AttachmentType>([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);

function isAttachmentType(mime: string): mime is AttachmentType {
  return Object.hasOwn(ATTACHMENT_TYPES, mime);
}

/** The media type of the file at `path`, or FileRejectedError saying what it is and what is accepted. */
export async function inspectFile(path: string, name: string): Promise<AttachmentType> {
  const { size } = await stat(path);
  if (size === 0) throw new FileRejectedError('empty', `Tệp "${name}" rỗng (0 byte) / The file "${name}" is empty (0 bytes): nothing was stored.`);
  // file-type is an ES module: loaded once, on the first upload (this project compiles to CommonJS)
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(path);
  if (!found || !isAttachmentType(found.mime)) {
    const what = found ? `${found.mime} (.${found.ext})` : 'không nhận ra / not recognised';
    throw new FileRejectedError(
      'type',
      `Tệp "${name}" không phải PDF, DOCX, XLSX, JPEG hay PNG (nội dung: ${what}); loại tệp được xét theo nội dung, không theo tên; không lưu gì / ` +
        `The file "${name}" is not one of ${ACCEPTED} (its content is ${what}; the type is read from the bytes, not the name): nothing was stored. Save or scan it as PDF and upload that.`,
    );
  }
  if (ZIP_TYPES.has(found.mime)) await checkZipDirectory(path, size, name);
  if (found.mime === 'application/pdf') await checkPdfEnd(path, size, name);
  return found.mime;
}

/** A PDF ends with %%EOF (within its last KB): one cut short (a failed scan, a partial copy) opens as nothing. */
async function checkPdfEnd(path: string, size: number, name: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(Math.min(1024, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (!tail.includes('%%EOF'))
      throw new FileRejectedError(
        'incomplete',
        `Tệp PDF "${name}" không trọn vẹn (thiếu phần kết %%EOF); không lưu gì / The PDF "${name}" is incomplete (it has no %%EOF end marker): nothing was stored. Save or scan it again.`,
      );
  } finally {
    await handle.close();
  }
}

function bomb(name: string, why: string): FileRejectedError {
  return new FileRejectedError(
    'zip-bomb',
    `Tệp "${name}" có cấu trúc nén bất thường (${why}); không lưu gì / The file "${name}" is not a plausible Office document (${why}): nothing was stored. Save it again from Word or Excel, or as PDF.`,
  );
}

/** Reads the ZIP's central directory only (yauzl, lazily, entry by entry) and refuses what no Office file looks like. */
async function checkZipDirectory(path: string, packedBytes: number, name: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolvePromise, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolvePromise(z))),
  ).catch((err: unknown) => {
    throw bomb(name, `ZIP không đọc được / unreadable ZIP: ${(err as Error).message}`);
  });
  if (zip.entryCount > ZIP_MAX_ENTRIES) {
    zip.close();
    throw bomb(name, `${zip.entryCount} entries, at most ${ZIP_MAX_ENTRIES}`);
  }
  let unpacked = 0;
  await new Promise<void>((resolvePromise, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      unpacked += entry.uncompressedSize;
      if (unpacked > ZIP_MAX_UNPACKED_BYTES) {
        zip.close();
        reject(bomb(name, `unpacks to more than ${formatMegabytes(ZIP_MAX_UNPACKED_BYTES)}`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolvePromise());
    zip.on('error', (err: Error) => reject(bomb(name, `ZIP không đọc được / unreadable ZIP: ${err.message}`)));
    zip.readEntry();
  });
  if (unpacked / packedBytes > ZIP_MAX_RATIO)
    throw bomb(name, `unpacks to ${Math.round(unpacked / packedBytes)} times its size (${formatMegabytes(unpacked)}), at most ${ZIP_MAX_RATIO} times`);
}
