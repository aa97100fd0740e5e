// How long an unattached upload is kept, and how people read sizes. The limits themselves are configuration
// (BAOCAO_FILE_MAX_BYTES, BAOCAO_SUBMISSION_FILES_MAX_BYTES in common/config.ts).

/** an upload never attached to a submission is removed this long after it arrived */
export const ORPHAN_AFTER_MS = 24 * 60 * 60 * 1000;

/** 20 MB, 1.5 MB, 64 KB: binary units, as file managers show them */
export function formatMegabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}
