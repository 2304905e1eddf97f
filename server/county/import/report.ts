import type { IMPORT_LAYERS, IMPORT_MODES } from '../../../contracts/imports.js';
import type { Crs } from './crs.js';
import type { TextEncoding } from './encoding.js';

// The layers and modes are declared once, in the API's contract (contracts/ imports only zod, so the
// server takes them from there).
export { IMPORT_LAYERS, IMPORT_MODES } from '../../../contracts/imports.js';
export type ImportLayer = (typeof IMPORT_LAYERS)[number];
export type ImportMode = (typeof IMPORT_MODES)[number];

/** The index of a problem about the file as a whole (or about rows already in the database). */
export const FILE_INDEX = -1;

/**
 * One thing wrong with the file: which feature (its 0-based position among the file's features or
 * CSV data rows; -1 for the whole file), its code if it has one, the field, and why. Repairs are
 * warnings; everything else is an error and rejects the whole import.
 */
export interface ImportProblem {
  index: number;
  code?: string;
  field?: string;
  reason: string;
  severity: 'error' | 'warning';
}

export interface ImportCounts {
  /** Features (or CSV data rows) in the file. */
  features: number;
  /** Features written: all of them when accepted, none otherwise. */
  imported: number;
  /** Invalid geometries repaired with ST_MakeValid (each also listed as a warning). */
  repaired: number;
  /** Features with at least one error. */
  rejected: number;
  /** Households given without coordinates and placed along their village's roads (only when some were). */
  estimated?: number;
}

/** The answer to an import: accepted (everything written) or not (nothing written), and why. */
export interface ImportReport {
  accepted: boolean;
  layer: ImportLayer;
  /** The coordinate system the file was read in; null when it could not be decided. */
  crs: Crs | null;
  /** The attribute text's encoding (GeoJSON, XLSX and GeoPackage: UTF-8); null when the file could not be read. */
  encoding: TextEncoding | null;
  counts: ImportCounts;
  problems: ImportProblem[];
}

/** Problems collected while reading and checking a file. */
export class ProblemList {
  readonly items: ImportProblem[] = [];

  error(index: number, reason: string, where: { code?: string | null; field?: string } = {}): void {
    this.add('error', index, reason, where);
  }

  warning(index: number, reason: string, where: { code?: string | null; field?: string } = {}): void {
    this.add('warning', index, reason, where);
  }

  /** Take over the problems of another list (in order). */
  addAll(other: ProblemList): void {
    for (const problem of other.items) this.items.push(problem);
  }

  get errorCount(): number {
    return this.items.filter((p) => p.severity === 'error').length;
  }

  private add(
    severity: ImportProblem['severity'],
    index: number,
    reason: string,
    where: { code?: string | null; field?: string },
  ): void {
    this.items.push({
      index,
      ...(where.code != null && where.code !== '' ? { code: where.code } : {}),
      ...(where.field !== undefined ? { field: where.field } : {}),
      reason,
      severity,
    });
  }
}

/** Assemble the report: problems in file order (file-level first), counts from them. */
export function buildReport(input: {
  layer: ImportLayer;
  crs: Crs | null;
  encoding?: TextEncoding | null;
  features: number;
  problems: readonly ImportProblem[];
  repaired: number;
  estimated?: number;
}): ImportReport {
  const problems = [...input.problems].sort((a, b) => a.index - b.index);
  const rejectedIndexes = new Set(problems.filter((p) => p.severity === 'error' && p.index >= 0).map((p) => p.index));
  const accepted = !problems.some((p) => p.severity === 'error');
  return {
    accepted,
    layer: input.layer,
    crs: input.crs,
    encoding: input.encoding ?? null,
    counts: {
      features: input.features,
      imported: accepted ? input.features : 0,
      repaired: input.repaired,
      rejected: rejectedIndexes.size,
      ...(input.estimated !== undefined ? { estimated: input.estimated } : {}),
    },
    problems,
  };
}

const MAX_LISTED_PROBLEMS = 200;

/** One line naming a problem: where, what and why. */
export function describeProblem(problem: ImportProblem): string {
  const where = problem.index === FILE_INDEX ? 'file' : `#${problem.index}`;
  const code = problem.code ? ` ${problem.code}` : '';
  const field = problem.field ? ` ${problem.field}` : '';
  return `${problem.severity === 'error' ? 'error' : 'warning'} ${where}${code}${field}: ${problem.reason}`;
}

/** The report as text for people: the verdict, the counts, then each problem (the first 200). */
export function formatReport(report: ImportReport, fileName: string, countyCode: string | null): string {
  const lines: string[] = [];
  const into = countyCode ? ` into county ${countyCode}` : '';
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  lines.push(
    report.accepted
      ? `Imported ${report.layer} from ${fileName}${into}.`
      : `Rejected: ${errors} ${errors === 1 ? 'problem' : 'problems'} in ${fileName}; nothing was written.`,
  );
  if (report.crs) {
    const converted = report.crs === 'wgs84' || report.crs === 'cgcs2000' ? '' : ' (converted to WGS84)';
    lines.push(`Coordinates: ${report.crs}${converted}`);
  }
  if (report.encoding) lines.push(`Encoding: ${report.encoding}`);
  const { features, imported, repaired, rejected } = report.counts;
  const placed = report.counts.estimated ? `, estimated positions ${report.counts.estimated}` : '';
  lines.push(`Features: ${features}, imported ${imported}, repaired ${repaired}, rejected ${rejected}${placed}`);
  for (const problem of report.problems.slice(0, MAX_LISTED_PROBLEMS)) lines.push(`  ${describeProblem(problem)}`);
  if (report.problems.length > MAX_LISTED_PROBLEMS) {
    lines.push(`  … and ${report.problems.length - MAX_LISTED_PROBLEMS} more (--json lists them all)`);
  }
  return lines.join('\n');
}
