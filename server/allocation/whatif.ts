import type { Assignment, Coverage, CoverageTotals } from './score.js';

/** What a what-if comparison needs of a solution (an AllocationResult or a GreedyResult both fit). */
export interface ComparableSolution {
  coverage: Coverage;
  assignments?: readonly Assignment[];
  travelSeconds?: number;
  maxUnmetShare?: number;
}

/** One group's officer-shifts before and after, and the differences (after − before). */
export interface CoverageDelta {
  demandedBefore: number;
  demandedAfter: number;
  metBefore: number;
  metAfter: number;
  unmetBefore: number;
  unmetAfter: number;
  weightedUnmetBefore: number;
  weightedUnmetAfter: number;
  metChange: number;
  unmetChange: number;
  weightedUnmetChange: number;
}

/** Two solutions side by side per zone, station, duty and zone-slot, plus the headline numbers. */
export interface SolutionComparison {
  total: CoverageDelta;
  byZone: (CoverageDelta & { zoneId: string })[];
  byStation: (CoverageDelta & { stationCode: string; zoneId: string })[];
  byDuty: (CoverageDelta & { dutyId: string })[];
  byZoneSlot: (CoverageDelta & { zoneId: string; day: number; shift: number })[];
  maxUnmetShareBefore: number | null;
  maxUnmetShareAfter: number | null;
  travelSecondsBefore: number | null;
  travelSecondsAfter: number | null;
  /** Officer-shifts whose post or duty differs (present in one plan only, or at another station or duty); null without assignments. */
  assignmentsChanged: number | null;
}

function delta(before: CoverageTotals | undefined, after: CoverageTotals | undefined): CoverageDelta {
  const b = before ?? { demanded: 0, met: 0, unmet: 0, weightedUnmet: 0 };
  const a = after ?? { demanded: 0, met: 0, unmet: 0, weightedUnmet: 0 };
  return {
    demandedBefore: b.demanded,
    demandedAfter: a.demanded,
    metBefore: b.met,
    metAfter: a.met,
    unmetBefore: b.unmet,
    unmetAfter: a.unmet,
    weightedUnmetBefore: b.weightedUnmet,
    weightedUnmetAfter: a.weightedUnmet,
    metChange: a.met - b.met,
    unmetChange: a.unmet - b.unmet,
    weightedUnmetChange: a.weightedUnmet - b.weightedUnmet,
  };
}

/** Pairs rows of two lists by key (in first-seen order, before's rows first) and diffs them. */
function pair<Row extends CoverageTotals, Key extends object>(
  before: readonly Row[],
  after: readonly Row[],
  keyOf: (row: Row) => Key,
): (CoverageDelta & Key)[] {
  const text = (row: Row) => JSON.stringify(keyOf(row));
  const keys = new Map<string, Key>();
  for (const row of [...before, ...after]) if (!keys.has(text(row))) keys.set(text(row), keyOf(row));
  const b = new Map(before.map((row) => [text(row), row]));
  const a = new Map(after.map((row) => [text(row), row]));
  return [...keys].map(([k, key]) => ({ ...key, ...delta(b.get(k), a.get(k)) }));
}

/** Compares two solutions of what-if variants (e.g. a smaller pool, a longer drive limit): met vs demanded and the differences. */
export function compareSolutions(before: ComparableSolution, after: ComparableSolution): SolutionComparison {
  let assignmentsChanged: number | null = null;
  if (before.assignments && after.assignments) {
    const post = (a: Assignment) => `${a.stationCode}/${a.dutyId}`;
    const slot = (a: Assignment) => `${a.officerId}/${a.day}/${a.shift}`;
    const b = new Map(before.assignments.map((a) => [slot(a), post(a)]));
    const a = new Map(after.assignments.map((x) => [slot(x), post(x)]));
    assignmentsChanged = 0;
    for (const [key, value] of b) if (a.get(key) !== value) assignmentsChanged++;
    for (const key of a.keys()) if (!b.has(key)) assignmentsChanged++;
  }
  return {
    total: delta(before.coverage.total, after.coverage.total),
    byZone: pair(before.coverage.byZone, after.coverage.byZone, (r) => ({ zoneId: r.zoneId })),
    byStation: pair(before.coverage.byStation, after.coverage.byStation, (r) => ({
      stationCode: r.stationCode,
      zoneId: r.zoneId,
    })),
    byDuty: pair(before.coverage.byDuty, after.coverage.byDuty, (r) => ({ dutyId: r.dutyId })),
    byZoneSlot: pair(before.coverage.byZoneSlot, after.coverage.byZoneSlot, (r) => ({
      zoneId: r.zoneId,
      day: r.day,
      shift: r.shift,
    })),
    maxUnmetShareBefore: before.maxUnmetShare ?? null,
    maxUnmetShareAfter: after.maxUnmetShare ?? null,
    travelSecondsBefore: before.travelSeconds ?? null,
    travelSecondsAfter: after.travelSeconds ?? null,
    assignmentsChanged,
  };
}
