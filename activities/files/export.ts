// `baocao cycle export CYCLE --files DIR`: every unit's final files (each phase's latest version that carried
// files, submitted-files.ts) into a folder per unit — `<unit id> – <unit name>/<phase name>/<file name>` —, read
// from whichever store holds them (filesystem or S3). Names keep their diacritics (NFC); what no filesystem takes
// (/ \ : * ? " < > |, control characters, a trailing dot or space, Windows' reserved names) becomes "-" or is
// prefixed, names are cut to 200 bytes, and a second file of the same name gets " (2)". Each file is written to a
// temporary name, its SHA-256 checked against the stored one, then renamed: a file in DIR is complete and right.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BUILTIN_CAMPAIGN } from '../../domain/campaign-builtin';
import { cycleHeader } from '../archive/status';
import type { Db } from '../db/database';
import { getUnits } from '../directory/repository';
import type { FileStorage } from './storage';
import { finalFilesOfCycle } from './submitted-files';

const PHASES = ['plan', 'report'] as const;
const PHASE_FOLDERS: Record<(typeof PHASES)[number], string> = Object.fromEntries(BUILTIN_CAMPAIGN.phases.map((p) => [p.key, p.name.vi])) as Record<(typeof PHASES)[number], string>;
const MAX_NAME_BYTES = 200;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** The export's refusals: DIR not empty, a file missing from the store or not matching its hash. */
export class FilesExportError extends Error {
  readonly code = 'FilesExportError';
  constructor(message: string) {
    super(message);
    this.name = 'FilesExportError';
  }
}

function cutToBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}

/** A name any filesystem takes, diacritics kept: "Công đoàn cơ sở Trường THCS Ngọc Thụy" stays as it is. */
export function safeName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  let s = raw.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/[/\\:*?"<>|]/g, '-').replace(/\s+/g, ' ').trim();
  const ext = extname(s);
  const stem = ext && ext.length <= 10 ? s.slice(0, -ext.length) : s;
  const keptExt = stem === s ? '' : ext;
  s = cutToBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(keptExt, 'utf8')).replace(/[. ]+$/, '') + keptExt;
  s = s.replace(/[. ]+$/, '');
  if (s === '' || /^\.+$/.test(s)) s = '_';
  if (RESERVED.test(s)) s = `_${s}`;
  return s;
}

/** "Báo cáo.pdf", "Báo cáo (2).pdf", … within one folder (compared case-insensitively, as Windows and macOS do). */
function uniqueName(name: string, taken: Set<string>): string {
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLocaleLowerCase('vi')); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLocaleLowerCase('vi'));
  return candidate;
}

export interface FilesExportProgress {
  units: number;
  unitsTotal: number;
  files: number;
  filesTotal: number;
  bytes: number;
}

export interface FilesExportResult extends FilesExportProgress {
  dir: string;
  /** relative paths written, in order */
  written: { unitId: string; phase: 'plan' | 'report'; version: number; path: string; sha256: string; size: number }[];
}

export async function exportCycleFiles(
  deps: { db: Db; storage: FileStorage },
  cycleId: string,
  dir: string,
  onProgress: (p: FilesExportProgress) => void = () => {},
): Promise<FilesExportResult> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  if (entries.length > 0)
    throw new FilesExportError(
      `Thư mục ${dir} đã có ${entries.length} mục; hãy chọn thư mục trống hoặc chưa có / The folder ${dir} is not empty (${entries.length} entries): give a new or empty folder, nothing was written.`,
    );
  const header = await cycleHeader(deps.db, cycleId);
  const finals = await finalFilesOfCycle(deps.db, cycleId);
  const unitIds = [...finals.keys()].sort();
  const names = new Map((await getUnits(deps.db, unitIds, header.treeAsOf)).map((u) => [u.id, u.name]));
  const progress: FilesExportProgress = { units: 0, unitsTotal: unitIds.length, files: 0, filesTotal: 0, bytes: 0 };
  for (const u of finals.values()) for (const p of PHASES) progress.filesTotal += u[p]?.files.length ?? 0;
  const written: FilesExportResult['written'] = [];
  await mkdir(dir, { recursive: true });
  const folders = new Set<string>();
  for (const unitId of unitIds) {
    const unitFolder = uniqueName(safeName(`${unitId} – ${names.get(unitId) ?? unitId}`), folders);
    for (const phase of PHASES) {
      const final = finals.get(unitId)![phase];
      if (!final) continue;
      const folder = join(unitFolder, safeName(PHASE_FOLDERS[phase]));
      await mkdir(join(dir, folder), { recursive: true });
      const taken = new Set<string>();
      for (const f of final.files) {
        const rel = join(folder, uniqueName(safeName(f.name), taken));
        const source = await deps.storage.get(f.sha256);
        if (!source)
          throw new FilesExportError(
            `Tệp "${f.name}" của ${unitId} không còn trong kho tệp / The file "${f.name}" of ${unitId} (${f.sha256}) is not in the file store: check BAOCAO_FILES_STORE and the store. ${written.length} files were written to ${dir}.`,
          );
        const hash = createHash('sha256');
        let size = 0;
        const counting = new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        const tmp = join(dir, `${rel}.part`);
        await pipeline(source, counting, createWriteStream(tmp, { flags: 'wx' }));
        const sha256 = hash.digest('hex');
        if (sha256 !== f.sha256 || size !== f.size) {
          await rm(tmp, { force: true });
          throw new FilesExportError(`Tệp "${f.name}" của ${unitId} không khớp mã băm đã lưu / The stored bytes of "${f.name}" of ${unitId} do not match its SHA-256 (${f.sha256}): the store is damaged; nothing more was written.`);
        }
        await rename(tmp, join(dir, rel));
        written.push({ unitId, phase, version: final.version, path: rel, sha256, size });
        progress.files++;
        progress.bytes += size;
        onProgress({ ...progress });
      }
    }
    progress.units++;
    onProgress({ ...progress });
  }
  return { ...progress, dir, written };
}
