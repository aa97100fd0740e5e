// Conventions of Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I) that are text, not
// layout: the date line, the issuer's abbreviation in the document symbol, capitals, number formats.
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../calendar/constants';

/** NFC everywhere: names typed on different keyboards (composed or decomposed diacritics) compare and print alike. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Vietnamese capitals: `đ` → `Đ` and every diacritic kept. */
export function upper(text: string): string {
  return nfc(text).toLocaleUpperCase('vi');
}

/**
 * "Long Biên, ngày 09 tháng 3 năm 2021": Decree 30 writes a day below 10 and the months 1 and 2 with a leading
 * zero (so that nobody can turn "1" into "11"), every other month without.
 */
export function placeDateLine(place: string, date: string): string {
  const d = DateTime.fromISO(date, { zone: TIME_ZONE });
  if (!d.isValid) throw new RangeError(`not a date: ${date}`);
  const day = String(d.day).padStart(2, '0');
  const month = d.month <= 2 ? String(d.month).padStart(2, '0') : String(d.month);
  return `${place ? `${nfc(place)}, ` : ''}ngày ${day} tháng ${month} năm ${d.year}`;
}

/** The local date (Asia/Ho_Chi_Minh) of an instant, `YYYY-MM-DD`. */
export function localDateOf(instant: string): string {
  const d = DateTime.fromISO(instant, { setZone: true });
  if (!d.isValid) throw new RangeError(`not an instant: ${instant}`);
  return d.setZone(TIME_ZONE).toISODate()!;
}

/** `dd/MM/yyyy HH:mm` in Asia/Ho_Chi_Minh: how a clerk reads an instant. */
export function localDateTime(instant: string): string {
  return DateTime.fromISO(instant, { setZone: true }).setZone(TIME_ZONE).toFormat('dd/MM/yyyy HH:mm');
}

const integerFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 1 });

/** 12.345 (Vietnamese thousands separator). */
export function formatCount(n: number): string {
  return integerFormat.format(n);
}

/** 93,3% (decimal comma); "—" when there is no rate (nothing expected). */
export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${percentFormat.format(rate)}%`;
}

/**
 * Kinds of union bodies and the abbreviation their documents carry in the symbol ("Số: 18/KH-LĐLĐ").
 * Longest prefix first; matched case-insensitively at the start of the NFC name.
 */
export const ISSUER_ABBREVIATIONS: readonly { prefix: string; abbreviation: string }[] = [
  { prefix: 'Tổng Liên đoàn Lao động', abbreviation: 'TLĐ' },
  { prefix: 'Liên đoàn Lao động', abbreviation: 'LĐLĐ' },
  { prefix: 'Công đoàn cơ sở', abbreviation: 'CĐCS' },
  { prefix: 'Công đoàn ngành', abbreviation: 'CĐN' },
  { prefix: 'Công đoàn các Khu công nghiệp', abbreviation: 'CĐKCN' },
  { prefix: 'Công đoàn Khu công nghiệp', abbreviation: 'CĐKCN' },
  { prefix: 'Công đoàn Khu kinh tế', abbreviation: 'CĐKKT' },
  { prefix: 'Công đoàn Viên chức', abbreviation: 'CĐVC' },
  { prefix: 'Công đoàn Tổng công ty', abbreviation: 'CĐTCT' },
  { prefix: 'Công đoàn', abbreviation: 'CĐ' },
];
/** What an issuer whose name matches no known kind signs with. */
export const DEFAULT_ISSUER_ABBREVIATION = 'CĐ';

export function issuerAbbreviation(name: string): string {
  const n = nfc(name).trim().toLocaleLowerCase('vi');
  const hit = ISSUER_ABBREVIATIONS.find((a) => n.startsWith(nfc(a.prefix).toLocaleLowerCase('vi')));
  return hit ? hit.abbreviation : DEFAULT_ISSUER_ABBREVIATION;
}

/**
 * The superior body's line of the header may use common abbreviations (Decree 30, Appendix I, item 2):
 * "Liên đoàn Lao động" → "LĐLĐ", so that "LĐLĐ THÀNH PHỐ HÀ NỘI" fits its column.
 */
export function superiorLine(name: string): string {
  return upper(nfc(name).replace(/Liên đoàn Lao động/giu, 'LĐLĐ'));
}

// Administrative units a union's name ends with: "… tỉnh Lào Cai", "… Quận Long Biên", "… Thành phố Hà Nội".
const PLACE = /(?:^|\s)(?:[Tt]ỉnh|[Tt]hành [Pp]hố|[Qq]uận|[Hh]uyện|[Tt]hị [Xx]ã|[Tt]hị [Tt]rấn)\s+([\p{Lu}\d][^,;()]*)$/u;

/** The place a body signs from, read from its name ("Liên đoàn Lao động Quận Long Biên" → "Long Biên"), or ''. */
export function placeFromName(name: string): string {
  const m = PLACE.exec(nfc(name).trim());
  return m ? m[1]!.trim() : '';
}
