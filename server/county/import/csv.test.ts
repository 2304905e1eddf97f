import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'code,note\nH1,"a, b"\nH2,"say ""hi"""\nH3,"two\nlines"\nH4,plain\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['code', 'note'] },
      { line: 2, fields: ['H1', 'a, b'] },
      { line: 3, fields: ['H2', 'say "hi"'] },
      { line: 4, fields: ['H3', 'two\nlines'] },
      { line: 6, fields: ['H4', 'plain'] },
    ]);
  });

  it('drops a byte-order mark and reads CRLF and CR line ends', () => {
    expect(parseCsv('\ufeff户号,人口\r\nH1,3\r\nH2,"4"\rH3,5')).toEqual([
      { line: 1, fields: ['户号', '人口'] },
      { line: 2, fields: ['H1', '3'] },
      { line: 3, fields: ['H2', '4'] },
      { line: 4, fields: ['H3', '5'] },
    ]);
  });

  it('keeps empty fields but skips blank lines and all-empty rows', () => {
    expect(parseCsv('a,b,c\n1,,3\n\n,,\n,"",x\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
      { line: 5, fields: ['', '', 'x'] },
    ]);
  });

  it('keeps a CRLF inside quotes and counts its line', () => {
    expect(parseCsv('a\r\n"x\r\ny"\r\nz\r\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['x\r\ny'] },
      { line: 4, fields: ['z'] },
    ]);
  });

  it('refuses a quote that is never closed, naming its line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(new CsvSyntaxError(2, 'a quoted field is never closed'));
  });
});
