import type { GridInfo } from './api-types.js';

/** The fields of a grid the audit log keeps of an edit: its attributes and its size. */
const TRAIL_FIELDS = [
  'name',
  'townshipCode',
  'locked',
  'workerName',
  'workerPhone',
  'score',
  'households',
  'unitCount',
  'dutyList',
  'negativeList',
  'exemptionList',
] as const;

/** A grid as an audit entry shows it: some of TRAIL_FIELDS. */
export type GridTrail = Partial<Pick<GridInfo, (typeof TRAIL_FIELDS)[number]>>;

/** The grids of an edit before and after, by grid id. */
export interface GridEditTrail {
  before: Record<string, GridTrail>;
  after: Record<string, GridTrail>;
}

function pick(grid: GridInfo, fields: readonly (typeof TRAIL_FIELDS)[number][]): GridTrail {
  return Object.fromEntries(fields.map((field) => [field, grid[field]])) as GridTrail;
}

/**
 * What an edit did to its grids, for the audit log: a grid on one side only (made, or removed) in
 * full, a grid on both sides with the fields that differ and its name (whose it is). Keeps a
 * whole-township edit small enough for the log (a lock of every grid is two fields a grid).
 */
export function gridEditTrail(before: readonly GridInfo[], after: readonly GridInfo[]): GridEditTrail {
  const old = new Map(before.map((grid) => [grid.id, grid]));
  const now = new Map(after.map((grid) => [grid.id, grid]));
  const trail: GridEditTrail = { before: {}, after: {} };
  for (const id of [...new Set([...old.keys(), ...now.keys()])].sort((a, b) => a - b)) {
    const a = old.get(id);
    const b = now.get(id);
    if (a && b) {
      const differ = TRAIL_FIELDS.filter((field) => field !== 'name' && a[field] !== b[field]);
      trail.before[id] = pick(a, ['name', ...differ]);
      trail.after[id] = pick(b, ['name', ...differ]);
    } else if (a) trail.before[id] = pick(a, TRAIL_FIELDS);
    else if (b) trail.after[id] = pick(b, TRAIL_FIELDS);
  }
  return trail;
}
