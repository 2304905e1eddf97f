import { strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import {
  attachmentHeader,
  columnLetters,
  excelSerial,
  sanitizeSheetNames,
  sheet,
  toCsv,
  toXlsx,
  type ExportColumn,
} from './table-export.js';
import { deepFreeze } from '../../test/deep-freeze.js';

interface Village {
  name: string;
  households: number;
  surveyed: Date | null;
  noTrip: boolean;
  note: string | null;
}

const villages: readonly Village[] = deepFreeze([
  {
    name: '罗阳镇,城关',
    households: 1200,
    surveyed: new Date('2024-02-09T16:00:00Z'), // midnight 2024-02-10 in China
    noTrip: true,
    note: '说 "好"',
  },
  {
    name: '=HYPERLINK("http://x")',
    households: -5,
    surveyed: new Date('2024-02-10T00:30:15Z'), // 08:30:15 in China
    noTrip: false,
    note: null,
  },
  { name: '-5', households: 0.25, surveyed: null, noTrip: true, note: '第一行\n第二行' },
  { name: '@SUM(1)', households: NaN, surveyed: null, noTrip: false, note: '\t制表' },
]);

const villageColumns: ExportColumn<Village>[] = deepFreeze([
  { header: '村名', value: (v: Village) => v.name, width: 20 },
  { header: '户数', value: (v: Village) => v.households, numberFormat: '0.0' },
  { header: '走访日期', value: (v: Village) => v.surveyed },
  { header: '免跑村', value: (v: Village) => v.noTrip },
  { header: '备注 & <说明>', value: (v: Village) => v.note },
]);

// ---------------------------------------------------------------------------------------------
// Reading the package back

type Parts = Record<string, string>;

function unpack(bytes: Uint8Array): Parts {
  const parts: Parts = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) parts[name] = strFromU8(data);
  return parts;
}

/** Line ends normalised, XML entities, then Excel's `_xHHHH_` escapes: as an XML parser and Excel read cell text. */
function decodeCellText(xml: string): string {
  return xml
    .replace(/\r\n?/g, '\n')
    .replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, name: string) =>
      name.startsWith('#')
        ? String.fromCharCode(Number(name.slice(1)))
        : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name]!,
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function sharedStrings(parts: Parts): string[] {
  const xml = parts['xl/sharedStrings.xml']!;
  return [...xml.matchAll(/<si><t(?: xml:space="preserve")?>([^<]*)<\/t><\/si>/g)].map((m) => decodeCellText(m[1]!));
}

interface CellFormat {
  format: string;
  bold: boolean;
  quotePrefix: boolean;
}

/** Each cellXfs entry resolved to its number format code and font weight. */
function cellFormats(parts: Parts): CellFormat[] {
  const xml = parts['xl/styles.xml']!;
  const codes = new Map<number, string>([
    [0, 'General'],
    [49, '@'],
  ]);
  for (const m of xml.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\/>/g)) {
    codes.set(Number(m[1]), decodeCellText(m[2]!));
  }
  const fonts = [...xml.matchAll(/<font>(.*?)<\/font>/g)].map((m) => m[1]!.includes('<b/>'));
  const cellXfs = /<cellXfs count="(\d+)">(.*?)<\/cellXfs>/.exec(xml)!;
  const xfs = [...cellXfs[2]!.matchAll(/<xf ([^>]*)\/>/g)].map((m) => {
    const attribute = (name: string): string | undefined => new RegExp(`${name}="([^"]*)"`).exec(m[1]!)?.[1];
    return {
      format: codes.get(Number(attribute('numFmtId')))!,
      bold: fonts[Number(attribute('fontId'))]!,
      quotePrefix: attribute('quotePrefix') === '1',
    };
  });
  expect(xfs).toHaveLength(Number(cellXfs[1]));
  return xfs;
}

interface Cell {
  type: 'n' | 's' | 'b';
  value: string | number | boolean;
  format: string;
  bold: boolean;
  quotePrefix: boolean;
}

/** Cells of one worksheet by reference, shared strings and styles resolved. */
function readCells(parts: Parts, sheetNumber: number): Record<string, Cell> {
  const strings = sharedStrings(parts);
  const formats = cellFormats(parts);
  const xml = parts[`xl/worksheets/sheet${sheetNumber}.xml`]!;
  const cells: Record<string, Cell> = {};
  const pattern = /<c r="([A-Z]+\d+)"(?: s="(\d+)")?(?: t="(\w+)")?>(?:<v>([^<]*)<\/v>)?<\/c>/g;
  const matched = [...xml.matchAll(pattern)];
  expect(matched.length).toBe((xml.match(/<c /g) ?? []).length); // no cell the pattern missed
  for (const [, ref, style, type = 'n', raw = ''] of matched) {
    const format = formats[Number(style ?? 0)]!;
    const value = type === 's' ? strings[Number(raw)]! : type === 'b' ? raw === '1' : Number(raw);
    cells[ref!] = { type: type as Cell['type'], value, ...format };
  }
  return cells;
}

const XML_1_0_CHAR = (code: number): boolean =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);

/** A small XML well-formedness check: balanced tags, quoted attributes, known entities, legal characters. */
function expectWellFormed(xml: string, part: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n?/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const m = token.exec(body);
    if (m === null) throw new Error(`${part}: not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    const [whole, closing, name, attributes, selfClosing, text] = m;
    const content = text ?? attributes ?? '';
    for (const ampersand of content.matchAll(/&/g)) {
      expect(content.slice(ampersand.index).match(/^&(amp|lt|gt|quot|apos|#\d+);/), part).not.toBeNull();
    }
    for (const char of content) expect(XML_1_0_CHAR(char.codePointAt(0)!), part).toBe(true);
    if (text === undefined) {
      if (closing) expect(stack.pop(), part).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    at += whole.length;
  }
  expect(stack, part).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// CSV

/** RFC 4180 reader (CRLF records, BOM first) that also rejects anything a strict reader would. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const records: string[][] = [];
  let record: string[] = [];
  let i = 1;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
  }
  expect(record).toEqual([]); // the last record ends with CRLF
  return records;
}

describe('toCsv', () => {
  it('writes BOM, CRLF, RFC 4180 quoting, CST dates and the apostrophe guard', () => {
    const csv = toCsv(villageColumns, villages);
    expect(csv).toBe(
      '\uFEFF村名,户数,走访日期,免跑村,备注 & <说明>\r\n' +
        '"罗阳镇,城关",1200,2024-02-10,TRUE,"说 ""好"""\r\n' +
        '"\'=HYPERLINK(""http://x"")",-5,2024-02-10 08:30:15,FALSE,\r\n' +
        '\'-5,0.25,,TRUE,"第一行\n第二行"\r\n' +
        "'@SUM(1),,,FALSE,'\t制表\r\n",
    );
    const bytes = strToU8(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...bytes.subarray(3, 6)]).toEqual([...strToU8('村')]); // UTF-8, not GBK
  });

  it('writes only the header line for no rows', () => {
    expect(toCsv(villageColumns, [])).toBe('\uFEFF村名,户数,走访日期,免跑村,备注 & <说明>\r\n');
  });

  it('round-trips random nasty text through a strict RFC 4180 reader', () => {
    const random = new Random('csv-export');
    const pieces = ['a', '罗阳', ' ', ',', '"', '""', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', "'", '𠀀', '1'];
    const rows = deepFreeze(
      Array.from({ length: 300 }, () =>
        Array.from({ length: 4 }, () =>
          Array.from({ length: random.int(0, 6) }, () => pieces[random.int(0, pieces.length - 1)]!).join(''),
        ),
      ),
    );
    const columns = [0, 1, 2, 3].map((c) => ({ header: `列${c}`, value: (row: readonly string[]) => row[c] }));
    const parsed = parseCsv(toCsv(columns, rows));
    expect(parsed[0]).toEqual(['列0', '列1', '列2', '列3']);
    const guarded = rows.map((row) => row.map((text) => (/^[=+\-@\t\r]/.test(text) ? "'" + text : text)));
    expect(parsed.slice(1)).toEqual(guarded);
  });
});

// ---------------------------------------------------------------------------------------------
// Content-Disposition

describe('attachmentHeader', () => {
  it('gives an ASCII fallback and a UTF-8 filename* for a Chinese name', () => {
    expect(attachmentHeader('网格名册 2024(初稿).xlsx')).toBe(
      'attachment; filename="_ 2024(_).xlsx"; ' +
        "filename*=UTF-8''%E7%BD%91%E6%A0%BC%E5%90%8D%E5%86%8C%202024%28%E5%88%9D%E7%A8%BF%29.xlsx",
    );
  });

  it('falls back to "export" when nothing ASCII is left, keeping the extension', () => {
    expect(attachmentHeader('名册.csv')).toBe(
      `attachment; filename="export.csv"; filename*=UTF-8''%E5%90%8D%E5%86%8C.csv`,
    );
    expect(attachmentHeader('')).toBe(`attachment; filename="export"; filename*=UTF-8''export`);
  });

  it('cannot be used to split the header or name a folder', () => {
    const header = attachmentHeader('a"b;c%\r\nSet-Cookie: x/..\\y.csv');
    expect(header).toBe(
      'attachment; filename="a_b_c_Set-Cookie: x..y.csv"; ' + "filename*=UTF-8''a%22b%3Bc%25Set-Cookie%3A%20x..y.csv",
    );
  });

  it('decodes back to the cleaned name, using only RFC 5987 attr-chars', () => {
    const names = ['泰顺县 免跑村 (2024).xlsx', "it's*~!#$&+^`|.csv", '𠀀𠀁 网格.csv'];
    for (const name of names) {
      const encoded = /filename\*=UTF-8''(.*)$/.exec(attachmentHeader(name))![1]!;
      expect(encoded).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*$/);
      expect(decodeURIComponent(encoded)).toBe(name);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// XLSX

describe('toXlsx', () => {
  const workbook = toXlsx([sheet({ name: '村/社区:名册', columns: villageColumns, rows: villages })]);
  const parts = unpack(workbook);

  it('is a minimal, well-formed SpreadsheetML package', () => {
    expect(Object.keys(parts).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    for (const [name, xml] of Object.entries(parts)) expectWellFormed(xml, name);
    expect(parts['[Content_Types].xml']).toContain(
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    );
    expect(parts['xl/workbook.xml']).toContain('<sheet name="村_社区_名册" sheetId="1" r:id="rId1"/>');
    expect(parts['xl/_rels/workbook.xml.rels']).toContain('Id="rId1"');
    expect(parts['xl/_rels/workbook.xml.rels']).toContain('Target="worksheets/sheet1.xml"');
  });

  it('writes exact values and types: numbers, negatives, CST dates, booleans, empties, text', () => {
    const text = (value: string, quotePrefix = false): Cell => ({
      type: 's',
      value,
      format: quotePrefix ? '@' : 'General',
      bold: false,
      quotePrefix,
    });
    const header = (value: string): Cell => ({ type: 's', value, format: 'General', bold: true, quotePrefix: false });
    const number = (value: number, format: string): Cell => ({
      type: 'n',
      value,
      format,
      bold: false,
      quotePrefix: false,
    });
    const boolean = (value: boolean): Cell => ({
      type: 'b',
      value,
      format: 'General',
      bold: false,
      quotePrefix: false,
    });
    const serialAt0830 = 45332 + (8 * 3600 + 30 * 60 + 15) / 86400;

    const cells = readCells(parts, 1);
    expect((cells.C3!.value as number) - serialAt0830).toBeCloseTo(0, 9);
    expect(cells).toEqual({
      A1: header('村名'),
      B1: header('户数'),
      C1: header('走访日期'),
      D1: header('免跑村'),
      E1: header('备注 & <说明>'),
      A2: text('罗阳镇,城关'),
      B2: number(1200, '0.0'),
      C2: number(45332, 'yyyy-mm-dd'), // 2024-02-10, midnight in China
      D2: boolean(true),
      E2: text('说 "好"'),
      A3: text('=HYPERLINK("http://x")', true), // a string, never a formula
      B3: number(-5, '0.0'),
      C3: number(cells.C3!.value as number, 'yyyy-mm-dd hh:mm:ss'),
      D3: boolean(false),
      A4: text('-5', true),
      B4: number(0.25, '0.0'),
      D4: boolean(true),
      E4: text('第一行\n第二行'),
      A5: text('@SUM(1)', true),
      D5: boolean(false),
      E5: text('\t制表', true),
      // E3 (null), C4/C5 (null date) and B5 (NaN) are absent: empty cells.
    });
    expect(parts['xl/worksheets/sheet1.xml']).not.toContain('<f>');
  });

  it('freezes the header row, sets widths and the dimension', () => {
    const xml = parts['xl/worksheets/sheet1.xml']!;
    expect(xml).toContain('<dimension ref="A1:E5"/>');
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    const widths = [...xml.matchAll(/<col min="(\d+)" max="\1" width="([\d.]+)" customWidth="1"\/>/g)].map((m) =>
      Number(m[2]),
    );
    // 20 as given; the rest from the widest sampled text (CJK counts 2), + 1, at least 6.
    expect(widths).toEqual([20, 7, 20, 9, 16]);
  });

  it('stores Chinese text as UTF-8 and escapes XML specials in the shared strings', () => {
    const raw = parts['xl/sharedStrings.xml']!;
    expect(raw).toContain('<si><t>备注 &amp; &lt;说明&gt;</t></si>');
    expect(raw).toContain('<si><t>说 &quot;好&quot;</t></si>');
    expect(raw).toContain('<si><t xml:space="preserve">\t制表</t></si>');
    expect(sharedStrings(parts)).toEqual([
      '村名',
      '户数',
      '走访日期',
      '免跑村',
      '备注 & <说明>',
      '罗阳镇,城关',
      '说 "好"',
      '=HYPERLINK("http://x")',
      '-5',
      '第一行\n第二行',
      '@SUM(1)',
      '\t制表',
    ]);
  });

  it('gives the same bytes for the same table and does not touch its input', () => {
    expect(toXlsx([sheet({ name: '村/社区:名册', columns: villageColumns, rows: villages })])).toEqual(workbook);
  });

  it('writes numbers in full precision, and edge dates and numbers sensibly', () => {
    const values: (number | Date)[] = [
      1e21,
      -1e-7,
      2 ** 53 + 2,
      -0,
      0.1 + 0.2,
      Infinity,
      new Date('1899-12-31T00:00:00+08:00'), // before Excel's 1900-03-01: text
      new Date('1900-03-01T00:00:00+08:00'),
      new Date(NaN),
    ];
    const parts = unpack(
      toXlsx([sheet({ name: 'edge', columns: [{ header: 'v', value: (v: number | Date) => v }], rows: values })]),
    );
    const xml = parts['xl/worksheets/sheet1.xml']!;
    const raw = [...xml.matchAll(/<c r="A(\d+)"[^>]*><v>([^<]*)<\/v><\/c>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(raw).toEqual([
      [1, '0'],
      [2, '1e+21'],
      [3, '-1e-7'],
      [4, '9007199254740994'],
      [5, '0'],
      [6, '0.30000000000000004'],
      // row 7 (Infinity) and row 10 (invalid date) are empty
      [8, '1'],
      [9, '61'],
    ]);
    expect(sharedStrings(parts)[1]).toBe('1899-12-31');
    expect(readCells(parts, 1).A9).toEqual({
      type: 'n',
      value: 61,
      format: 'yyyy-mm-dd',
      bold: false,
      quotePrefix: false,
    });
  });

  it('cuts text to Excel’s 32,767-character cell limit', () => {
    const long = '网'.repeat(40_000);
    const parts = unpack(
      toXlsx([sheet({ name: 's', columns: [{ header: 'h', value: (t: string) => t }], rows: [long] })]),
    );
    expect(sharedStrings(parts)[1]).toBe('网'.repeat(32_767));
  });

  it('takes sheets of different row types, each with a sanitised unique name', () => {
    const stations = deepFreeze([{ station: '罗阳派出所', officers: 12 }]);
    const parts = unpack(
      toXlsx([
        sheet({ name: '村/社区:名册', columns: villageColumns, rows: villages }),
        sheet({
          name: '村_社区_名册',
          columns: [
            { header: '派出所', value: (s: (typeof stations)[number]) => s.station },
            { header: '警力', value: (s: (typeof stations)[number]) => s.officers },
          ],
          rows: stations,
        }),
      ]),
    );
    expect(parts['xl/workbook.xml']).toContain(
      '<sheets><sheet name="村_社区_名册" sheetId="1" r:id="rId1"/><sheet name="村_社区_名册 (2)" sheetId="2" r:id="rId2"/></sheets>',
    );
    expect(parts['xl/worksheets/sheet1.xml']).toContain('tabSelected="1"');
    expect(parts['xl/worksheets/sheet2.xml']).not.toContain('tabSelected');
    const second = readCells(parts, 2);
    expect(second.A2!.value).toBe('罗阳派出所');
    expect(second.B2).toEqual({ type: 'n', value: 12, format: 'General', bold: false, quotePrefix: false });
    for (const [name, xml] of Object.entries(parts)) expectWellFormed(xml, name);
  });

  it('round-trips random text (illegal XML characters dropped) and numbers exactly', () => {
    const random = new Random('xlsx-export');
    const pieces = [
      'a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '\t', '\n', '\r', '\u0000', '\u0001', '\u000B', '\u001F',
      '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '𠀀', '罗', '阳', '_x0041_', '_x', '=', '-', '@', '\u0085', '\u2028',
    ]; // prettier-ignore
    const rows = deepFreeze(
      Array.from({ length: 400 }, () => ({
        text: Array.from({ length: random.int(1, 10) }, () => pieces[random.int(0, pieces.length - 1)]!).join(''),
        number: random.chance(0.5) ? random.int(-1_000_000, 1_000_000) : random.uniform(-1e6, 1e6),
      })),
    );
    const parts = unpack(
      toXlsx([
        sheet({
          name: 'random',
          columns: [
            { header: 'text', value: (row: (typeof rows)[number]) => row.text },
            { header: 'number', value: (row: (typeof rows)[number]) => row.number },
          ],
          rows,
        }),
      ]),
    );
    for (const [name, xml] of Object.entries(parts)) expectWellFormed(xml, name);
    const cells = readCells(parts, 1);
    const legal = (text: string): string =>
      [...text].filter((char) => XML_1_0_CHAR(char.codePointAt(0)!) && !/^[\uD800-\uDFFF]$/.test(char)).join('');
    rows.forEach((row, i) => {
      const expected = legal(row.text);
      const cell = cells[`A${i + 2}`];
      if (expected === '') expect(cell?.value ?? '').toBe('');
      else expect(cell?.value).toBe(expected);
      expect(cells[`B${i + 2}`]?.value).toBe(row.number);
    });
  });

  it('refuses a workbook without sheets or a sheet without columns', () => {
    expect(() => toXlsx([])).toThrow(RangeError);
    expect(() => toXlsx([sheet({ name: 'x', columns: [], rows: [1] })])).toThrow(RangeError);
  });
});

describe('sanitizeSheetNames', () => {
  it('follows Excel’s rules and keeps names unique ignoring case', () => {
    const names = [
      'a[b]c:d*e?f/g\\h',
      '',
      "'引号'",
      'History',
      'x'.repeat(40),
      'x'.repeat(40),
      'SHEET2',
      'a'.repeat(30) + '𠀀',
      '网格\u0000名册',
    ];
    expect(sanitizeSheetNames(names)).toEqual([
      'a_b_c_d_e_f_g_h',
      'Sheet2',
      '引号',
      'History (2)',
      'x'.repeat(31),
      'x'.repeat(27) + ' (2)',
      'SHEET2 (2)',
      'a'.repeat(30), // the pair does not fit in 31 UTF-16 units and is not split
      '网格名册',
    ]);
  });
});

describe('excelSerial and columnLetters', () => {
  it('counts days in the 1900 system at China Standard Time', () => {
    expect(excelSerial(new Date('1970-01-01T00:00:00+08:00'))).toBe(25569);
    expect(excelSerial(new Date('1900-03-01T00:00:00+08:00'))).toBe(61);
    expect(excelSerial(new Date('2024-02-09T16:00:00Z'))).toBe(45332);
    expect(excelSerial(new Date('2024-02-10T12:00:00+08:00'))).toBe(45332.5);
  });

  it('names columns like Excel', () => {
    expect([0, 25, 26, 51, 701, 702, 16_383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
  });
});
