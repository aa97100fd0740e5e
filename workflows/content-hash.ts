// The identity of a submission's content: SHA-256 of its JSON after validation (the zod schemas of
// workflows/report.ts normalise it, so the same report typed on two machines hashes the same). Pure JS
// (@noble/hashes), deterministic, so workflow code, the CLI and the web app compute the same value.
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** Hex SHA-256 of the JSON text of `content` (as parsed by its schema: keys in schema order). */
export function contentHash(content: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(content))));
}
