/**
 * dBASE III attribute tables (.dbf) for Shapefiles: C, N, F, D and L fields, text in GBK or UTF-8,
 * names of at most 10 bytes in that encoding. Laid out as the dBASE III header says (the ESRI
 * Shapefile specification refers to it): a 32-byte header, 32 bytes per field, 0x0D, then
 * fixed-length records each starting with a space (not deleted), and 0x1A at the end.
 */
import { encodeGbk } from './gbk.js';
import { type ExportEncoding, type ExportField, type ExportTable, tooLargeError, valueError } from './table.js';

/** dBASE III limits: 255 fields, 254 bytes a text field, 19 digits a number, 10 bytes a name. */
export const DBF_MAX_FIELDS = 255;
export const DBF_MAX_TEXT_BYTES = 254;
export const DBF_MAX_NUMBER_WIDTH = 19;
export const DBF_NAME_BYTES = 10;
/** A .dbf (and a .shp) must stay under 2 GB: offsets are signed 32-bit numbers. */
export const SHAPEFILE_MAX_BYTES = 2 ** 31 - 1;

/** Language driver ids (byte 29) GDAL and ArcGIS read: 0x4D is code page 936 (GBK); none for UTF-8 (the .cpg says it). */
const LANGUAGE_DRIVER: Record<ExportEncoding, number> = { gbk: 0x4d, 'utf-8': 0x00 };

const utf8 = new TextEncoder();

/** Text as bytes in the export's encoding (GBK throws naming the character it cannot write). */
export function encodeText(text: string, encoding: ExportEncoding): Uint8Array {
  return encoding === 'gbk' ? encodeGbk(text) : utf8.encode(text);
}

/** The longest prefix of `text` (whole characters) whose encoding fits `bytes`. */
function prefixWithin(text: string, bytes: number, encoding: ExportEncoding): string {
  let out = '';
  for (const ch of text) {
    if (encodeText(out + ch, encoding).length > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * Field names that fit 10 bytes in the encoding, unique (case-insensitively, as dBASE compares
 * them). A longer name keeps its longest prefix that fits (whole characters: 5 Chinese characters
 * in GBK, 3 in UTF-8); a name that then repeats an earlier one keeps a shorter prefix followed by
 * _1, _2… (as GDAL does), the first free number.
 */
export function dbfFieldNames(names: readonly string[], encoding: ExportEncoding): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = prefixWithin(name, DBF_NAME_BYTES, encoding);
    for (let n = 1; candidate === '' || taken.has(candidate.toUpperCase()); n++) {
      const suffix = `_${n}`;
      candidate = prefixWithin(name, DBF_NAME_BYTES - suffix.length, encoding) + suffix;
    }
    taken.add(candidate.toUpperCase());
    return candidate;
  });
}

interface FieldLayout {
  name: Uint8Array;
  type: string;
  length: number;
  decimals: number;
}

/** A number as dBASE writes it: fixed decimals (right-aligned by the caller). */
function formatNumber(value: number, decimals: number): string {
  return decimals > 0 ? value.toFixed(decimals) : Math.round(value).toFixed(0);
}

/** A value as the text a field holds before padding, or why it cannot be written. */
function cellText(field: ExportField, value: unknown, decimals: number): string | { zh: string; en: string } {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'C':
      return String(value);
    case 'N':
    case 'F':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { zh: '不是数字', en: 'not a finite number' };
      return formatNumber(value, decimals);
    case 'L':
      return value === true ? 'T' : value === false ? 'F' : '?';
    case 'D': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      if (!match) return { zh: '日期须为 YYYY-MM-DD', en: 'a date must be YYYY-MM-DD' };
      return `${match[1]}${match[2]}${match[3]}`;
    }
  }
}

/**
 * Write a table's attributes as a .dbf. Text fields are as wide as their longest value (at least
 * 1 byte); numbers as their widest formatted value. Errors (naming the feature and field): a text
 * over 254 bytes, a number over 19 digits, a character the encoding cannot hold, more than 255
 * fields, a file over 2 GB.
 */
export function writeDbf(table: ExportTable, encoding: ExportEncoding, today = new Date()): Uint8Array {
  const { fields, features } = table;
  if (fields.length > DBF_MAX_FIELDS) {
    throw valueError(table, 0, fields[DBF_MAX_FIELDS]!.name, {
      zh: `字段超过 ${DBF_MAX_FIELDS} 个`,
      en: `more than ${DBF_MAX_FIELDS} fields (${fields.length})`,
    });
  }
  const names = dbfFieldNames(
    fields.map((f) => f.name),
    encoding,
  );
  const decimalsOf = (f: ExportField) => f.decimals ?? (f.type === 'F' ? 6 : 0);
  // Every cell encoded once: its bytes give the field widths, then are copied into the records.
  const cells: Uint8Array[][] = features.map((feature, i) =>
    fields.map((field, j) => {
      const text = cellText(field, feature.values[j], decimalsOf(field));
      if (typeof text !== 'string') throw valueError(table, i, field.name, text);
      try {
        return encodeText(text, encoding);
      } catch (err) {
        throw valueError(table, i, field.name, {
          zh: `${(err as Error).message}，GBK 无法表示：请选 UTF-8`,
          en: `${(err as Error).message}: choose UTF-8`,
        });
      }
    }),
  );
  const layout: FieldLayout[] = fields.map((field, j) => {
    const widest = cells.reduce((max, row) => Math.max(max, row[j]!.length), 0);
    const decimals = decimalsOf(field);
    let length: number;
    if (field.type === 'C') length = Math.max(1, widest);
    else if (field.type === 'L') length = 1;
    else if (field.type === 'D') length = 8;
    else length = Math.max(widest, decimals > 0 ? decimals + 2 : 1);
    const limit = field.type === 'C' ? DBF_MAX_TEXT_BYTES : DBF_MAX_NUMBER_WIDTH;
    if (length > limit) {
      const at = cells.findIndex((row) => row[j]!.length > limit);
      throw valueError(table, at, field.name, {
        zh: `${field.type === 'C' ? '文字' : '数字'}长 ${length} 字节，超过 dBASE 的 ${limit} 字节`,
        en: `${length} bytes, over dBASE's ${limit}-byte limit for ${field.type === 'C' ? 'text' : 'numbers'}`,
      });
    }
    return { name: encodeText(names[j]!, encoding), type: field.type, length, decimals };
  });
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + layout.reduce((sum, f) => sum + f.length, 0);
  const total = headerLength + recordLength * features.length + 1;
  if (total > SHAPEFILE_MAX_BYTES) {
    throw tooLargeError(table.name, '.dbf', total);
  }
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x03; // dBASE III without memo
  bytes[1] = today.getUTCFullYear() - 1900;
  bytes[2] = today.getUTCMonth() + 1;
  bytes[3] = today.getUTCDate();
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  bytes[29] = LANGUAGE_DRIVER[encoding];
  layout.forEach((f, j) => {
    const at = 32 + 32 * j;
    bytes.set(f.name, at); // NUL-padded to 11 bytes by the zeroed buffer
    bytes[at + 11] = f.type.charCodeAt(0);
    bytes[at + 16] = f.length;
    bytes[at + 17] = f.decimals;
  });
  bytes[headerLength - 1] = 0x0d;
  bytes.fill(0x20, headerLength, total - 1);
  cells.forEach((row, i) => {
    let at = headerLength + i * recordLength + 1;
    layout.forEach((f, j) => {
      const cell = row[j]!;
      // Numbers right-aligned, everything else left-aligned; the rest stays spaces.
      const right = f.type === 'N' || f.type === 'F';
      bytes.set(cell, right ? at + f.length - cell.length : at);
      at += f.length;
    });
  });
  bytes[total - 1] = 0x1a;
  return bytes;
}
