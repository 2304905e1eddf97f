/**
 * Excel workbooks (.xlsx) of points, as police and grid systems export them: one sheet, maybe a
 * title row (or two) above the header, Chinese column names, numbers stored as text, dates as
 * dates. Read with exceljs after the zip has been checked and re-packed by our own reader (zip.ts),
 * so that a zip bomb or a lying size never reaches it.
 */
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { coordinateColumns, type Cell, FileReadError, type ParsedFile, pointsFromTable } from './parse.js';
import { ProblemList } from './report.js';
import { readZip } from './zip.js';

/** Rows searched for the header (title rows above it are skipped). */
const HEADER_SEARCH_ROWS = 10;

/** A cell that cannot be read, marked so that the row's problem names it. */
const UNREADABLE = Symbol('unreadable');

type RawCell = Cell | typeof UNREADABLE;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A cell's value as the table reader takes it: formulas by their cached result, dates as local text. */
function cellValue(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    // exceljs gives the wall-clock time the sheet shows as a UTC instant.
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    return time === '00:00:00' ? date : `${date} ${time}`;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null || (typeof result === 'object' && 'error' in result)) return UNREADABLE;
    return cellValue(result as ExcelJS.CellValue);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return UNREADABLE;
  return null;
}

/**
 * Read the points of one sheet: the one named, or the first that has rows. Formula cells are
 * taken by the value Excel saved with them; one saved without (written by a program, never opened
 * in Excel) is a problem of its row and column.
 */
export async function readXlsx(
  bytes: Uint8Array,
  sheetName?: string,
  coordinatesOptional = false,
): Promise<ParsedFile> {
  // Check the zip ourselves and hand exceljs a re-packed copy that holds exactly what we inflated.
  const members = readZip(bytes);
  if (![...members.keys()].some((name) => name.startsWith('xl/'))) {
    throw new FileReadError('不是 Excel 工作簿（the zip is not an .xlsx workbook: it has no xl/ folder）');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(zipSync(Object.fromEntries(members), { level: 0 }) as unknown as ArrayBuffer);
  } catch (err) {
    throw new FileReadError(`Excel 文件无法读取（the workbook cannot be read: ${(err as Error).message}）`);
  }
  const sheets = workbook.worksheets;
  const sheet =
    sheetName !== undefined
      ? workbook.getWorksheet(sheetName)
      : (sheets.find((s) => s.actualRowCount > 0) ?? sheets[0]);
  if (!sheet) {
    throw new FileReadError(
      sheetName !== undefined
        ? `工作簿中没有工作表 "${sheetName}"（no sheet "${sheetName}"; the workbook has ${sheets.map((s) => s.name).join(', ')}）`
        : '工作簿是空的（the workbook has no sheet）',
      'table',
    );
  }
  const rows: RawCell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const cells: RawCell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellValue(cell.value);
    });
    rows[number - 1] = cells;
  });
  const text = (cell: RawCell) =>
    cell === UNREADABLE || cell === null || cell === undefined ? '' : String(cell).trim();
  let headerAt = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => row && coordinateColumns(row.map(text)) !== null);
  // Without coordinate columns (households placed by village): the first row of two or more names
  // (a title row above the header has one).
  if (headerAt < 0 && coordinatesOptional) {
    headerAt = rows
      .slice(0, HEADER_SEARCH_ROWS)
      .findIndex((row) => row && row.filter((c) => text(c) !== '').length >= 2);
  }
  const where = `sheet "${sheet.name}"`;
  if (headerAt < 0) {
    throw new FileReadError(
      `工作表 "${sheet.name}" 前 ${HEADER_SEARCH_ROWS} 行中没有经纬度（或 X/Y）列名（${where} has no header row with longitude/latitude (经度/纬度, lon/lat) or x/y columns in its first ${HEADER_SEARCH_ROWS} rows）`,
      'lon',
    );
  }
  const header = (rows[headerAt] ?? []).map(text);
  const problems = new ProblemList();
  const dataRows = rows.slice(headerAt + 1).filter((row) => row && row.some((cell) => text(cell) !== ''));
  const cleaned = dataRows.map((row, index) =>
    header.map((name, column) => {
      const cell = row[column];
      if (cell !== UNREADABLE) return cell;
      problems.error(
        index,
        `公式没有保存计算结果，请在 Excel 中打开并保存（a formula cell with no saved value: open and save the file in Excel, or paste values）`,
        { field: name },
      );
      return null;
    }),
  );
  const table = pointsFromTable('xlsx', header, cleaned, problems, where, coordinatesOptional);
  return {
    format: 'xlsx',
    features: table.features,
    declaredCrs: undefined,
    problems,
    encoding: 'utf-8',
    encodingSource: 'detected',
    table: sheet.name,
    ...(table.coordinateColumns ? { coordinateColumns: table.coordinateColumns } : {}),
  };
}
