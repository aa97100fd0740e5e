// Reads a generated DOCX back the way a checker would: unzip, take word/document.xml, and return its
// paragraphs as text together with their raw XML (for formatting checks).
import JSZip from 'jszip';

export interface DocxParagraph {
  text: string;
  xml: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (m) => ENTITIES[m]!);

export async function docxPart(bytes: Buffer, path: string): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file(path);
  if (!file) throw new Error(`${path} is missing from the DOCX`);
  return file.async('string');
}

/** Every paragraph of the body (table cells included), in document order. */
export async function docxParagraphs(bytes: Buffer): Promise<DocxParagraph[]> {
  const xml = await docxPart(bytes, 'word/document.xml');
  const out: DocxParagraph[] = [];
  for (const m of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const p = m[0];
    const text = [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join('');
    out.push({ text, xml: p });
  }
  return out;
}
