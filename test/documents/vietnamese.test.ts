// Text conventions of Vietnamese administrative documents (Decree 30/2020/NĐ-CP) used by the documents module.
import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatPercent,
  issuerAbbreviation,
  localDateOf,
  placeDateLine,
  placeFromName,
  superiorLine,
  upper,
} from '../../activities/documents/vietnamese';

describe('Vietnamese document conventions', () => {
  it.each([
    ['2021-03-09', 'Long Biên, ngày 09 tháng 3 năm 2021'], // seed 004's own date line
    ['2027-01-05', 'Long Biên, ngày 05 tháng 01 năm 2027'],
    ['2027-02-28', 'Long Biên, ngày 28 tháng 02 năm 2027'],
    ['2027-12-10', 'Long Biên, ngày 10 tháng 12 năm 2027'],
  ])('writes %s as "%s" (zero before days < 10 and months 1–2 only)', (date, line) => {
    expect(placeDateLine('Long Biên', date)).toBe(line);
  });

  it('reads the local date of an instant in Asia/Ho_Chi_Minh', () => {
    expect(localDateOf('2027-12-31T16:59:59Z')).toBe('2027-12-31');
    expect(localDateOf('2027-12-31T17:00:00Z')).toBe('2028-01-01');
  });

  it.each([
    ['Tổng Liên đoàn Lao động Việt Nam', 'TLĐ'],
    ['Liên đoàn Lao động tỉnh Lào Cai', 'LĐLĐ'],
    ['Công đoàn cơ sở Công ty CP May Đức Giang', 'CĐCS'],
    ['Công đoàn ngành Giáo dục tỉnh Lào Cai', 'CĐN'],
    ['Công đoàn các Khu công nghiệp tỉnh Bắc Ninh', 'CĐKCN'],
    ['Công đoàn Khối cơ quan quận Long Biên', 'CĐ'],
    ['Hội đồng hương', 'CĐ'],
  ])('abbreviates %s as %s', (name, abbreviation) => {
    expect(issuerAbbreviation(name)).toBe(abbreviation);
    expect(issuerAbbreviation(name.normalize('NFD'))).toBe(abbreviation);
  });

  it.each([
    ['Liên đoàn Lao động Quận Long Biên', 'Long Biên'],
    ['Liên đoàn Lao động tỉnh Lào Cai', 'Lào Cai'],
    ['Liên đoàn Lao động Thành phố Hà Nội', 'Hà Nội'],
    ['Liên đoàn Lao động Huyện Gia Lâm', 'Gia Lâm'],
    ['Liên đoàn Lao động Quận 1', '1'],
    ['Công đoàn cơ sở Công ty CP May Đức Giang', ''],
    ['Tổng Liên đoàn Lao động Việt Nam', ''],
  ])('reads the place of %s as "%s"', (name, place) => {
    expect(placeFromName(name)).toBe(place);
  });

  it('writes capitals with every diacritic and abbreviates the superior body', () => {
    expect(upper('Liên đoàn Lao động Quận Long Biên')).toBe('LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN');
    expect(upper('Công đoàn cơ sở Ủy ban nhân dân phường Bồ Đề'.normalize('NFD'))).toBe('CÔNG ĐOÀN CƠ SỞ ỦY BAN NHÂN DÂN PHƯỜNG BỒ ĐỀ');
    expect(superiorLine('Liên đoàn Lao động Thành phố Hà Nội')).toBe('LĐLĐ THÀNH PHỐ HÀ NỘI');
    expect(superiorLine('Tổng Liên đoàn Lao động Việt Nam')).toBe('TỔNG LĐLĐ VIỆT NAM');
  });

  it('formats counts and rates the Vietnamese way', () => {
    expect(formatCount(1525)).toBe('1.525');
    expect(formatCount(0)).toBe('0');
    expect(formatPercent(66.7)).toBe('66,7%');
    expect(formatPercent(50)).toBe('50%');
    expect(formatPercent(null)).toBe('—');
  });
});
