import type { Response } from 'express';
import { attachmentHeader, CSV_CONTENT_TYPE, toXlsx, XLSX_CONTENT_TYPE, type AnySheet } from '../lib/table-export.js';

/** Send a table as a download: CSV (one sheet, made by `csv`) or an XLSX workbook of `sheets`. */
export function sendTable(
  res: Response,
  fileName: string,
  format: 'csv' | 'xlsx',
  table: { csv: () => string; sheets: () => AnySheet[] },
): void {
  res.set('Content-Disposition', attachmentHeader(fileName));
  if (format === 'csv') {
    res.type(CSV_CONTENT_TYPE).send(table.csv());
    return;
  }
  const bytes = toXlsx(table.sheets());
  res.type(XLSX_CONTENT_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
