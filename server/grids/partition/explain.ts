import type { GridResult } from './types.js';

/** Every grid is within the tolerance of its target. */
export interface BalancedExplanation {
  kind: 'balanced';
  grids: number;
  toleranceRatio: number;
}

/** A unit alone holds more households than one grid may (target · (1 + tolerance)); units are never divided. */
export interface UnitTooLargeExplanation {
  kind: 'unit_too_large';
  unit: number;
  unitName: string;
  households: number;
  targetHouseholds: number;
  maxHouseholds: number;
  grid: number;
}

/** The households do not divide into whole grids near the target: the average itself is off. */
export interface GridCountRoundingExplanation {
  kind: 'grid_count_rounding';
  households: number;
  targetHouseholds: number;
  /** households / target, unrounded (2 decimals). */
  exactGrids: number;
  grids: number;
  averageHouseholds: number;
  deviationRatio: number;
  /** Locked grids left out of the count (their units are not part of it). */
  lockedGrids: number;
  units: number[];
}

/**
 * A part of the township that no road (or only roads through locked grids) joins to the rest:
 * its grids must lie inside it, and its households do not make whole grids near the target.
 */
export interface DisconnectedPartExplanation {
  kind: 'disconnected_part';
  /** True when roads exist but every one passes through a locked grid. */
  enclosedByLockedGrids: boolean;
  unitCount: number;
  firstUnitName: string;
  households: number;
  targetHouseholds: number;
  grids: number;
  gridHouseholds: number[];
  maxDeviationRatio: number;
  units: number[];
}

/** A strip valley (a chain of units along one road) split exactly: no split of it is more balanced. */
export interface StripBestSplitExplanation {
  kind: 'strip_best_split';
  unitCount: number;
  fromUnitName: string;
  toUnitName: string;
  households: number;
  targetHouseholds: number;
  grids: number;
  /** Households of its grids in road order. */
  gridHouseholds: number[];
  maxDeviationRatio: number;
  units: number[];
}

/** A locked grid outside the tolerance; the run does not change it. */
export interface LockedGridOffTargetExplanation {
  kind: 'locked_grid_off_target';
  grid: number;
  households: number;
  targetHouseholds: number;
  deviationRatio: number;
}

/** In 'complete' mode a grid's assigned units stay put; what it received does not bring it on target. */
export interface FixedUnitsLimitExplanation {
  kind: 'fixed_units_limit';
  grid: number;
  households: number;
  targetHouseholds: number;
  deviationRatio: number;
  addedUnits: number;
  addedHouseholds: number;
}

/**
 * The grid is a dead-end valley: its units join the rest of the township by a single road link,
 * so it is a grid of its own or must take in the road beyond its junction.
 */
export interface DeadEndValleyExplanation {
  kind: 'dead_end_valley';
  grid: number;
  households: number;
  targetHouseholds: number;
  deviationRatio: number;
  neighbourGrids: number[];
}

/** No provable cause: the search found no better contiguous split with the grid's neighbours. */
export interface NoBetterSplitExplanation {
  kind: 'no_better_split_found';
  grid: number;
  households: number;
  targetHouseholds: number;
  deviationRatio: number;
  neighbourGrids: number[];
}

/** More parts without a road between them than grids asked for: each part needs its own grid. */
export interface GridCountRaisedExplanation {
  kind: 'grid_count_raised';
  requested: number;
  grids: number;
  parts: number;
}

/** In 'complete' mode some unassigned units touch no grid, so new grids were made for them. */
export interface NewGridsExplanation {
  kind: 'new_grids_for_isolated_units';
  unitCount: number;
  households: number;
  grids: number;
  units: number[];
}

/** Why a partition misses its targets (or that it does not), structured; see `explanationText`. */
export type PartitionExplanation =
  | BalancedExplanation
  | UnitTooLargeExplanation
  | GridCountRoundingExplanation
  | DisconnectedPartExplanation
  | StripBestSplitExplanation
  | LockedGridOffTargetExplanation
  | FixedUnitsLimitExplanation
  | NoBetterSplitExplanation
  | DeadEndValleyExplanation
  | GridCountRaisedExplanation
  | NewGridsExplanation;

/** A warning about a hand edit (moving units between grids); it informs and never blocks. */
export type MoveWarning =
  | { kind: 'locked_grid'; grid: number }
  | { kind: 'donor_emptied'; grid: number }
  | { kind: 'donor_split'; grid: number; piecesBefore: number; piecesAfter: number }
  | { kind: 'receiver_not_contiguous'; grid: number; pieces: number }
  | {
      kind: 'deviation';
      grid: number;
      householdsBefore: number;
      householdsAfter: number;
      targetHouseholds: number;
      deviationRatio: number;
      toleranceRatio: number;
    }
  | { kind: 'village_split'; villageIndex: number; gridsBefore: number; gridsAfter: number };

/** Languages the explanations are written in. */
export type ExplanationLanguage = 'zh-CN' | 'en';

/** Ratio as a signed whole percentage: +7%, -12%, 0%. */
function percent(ratio: number): string {
  const value = Math.round(ratio * 100);
  return `${value > 0 ? '+' : ''}${value}%`;
}

function whole(value: number): string {
  return String(Math.round(value));
}

function gridsEn(count: number): string {
  return count === 1 ? '1 grid' : `${count} grids`;
}

type Renderers<T extends { kind: string }> = {
  [K in T['kind']]: (e: Extract<T, { kind: K }>, g: GridLabels) => string;
};

/** The planners' name of a grid id, when it has one; sentences then name grids instead of numbering them. */
export type GridName = (id: number) => string | undefined;

/** How a sentence refers to one grid and to a list of grids. */
interface GridLabels {
  one(id: number): string;
  /** '' for an empty list. */
  list(ids: readonly number[]): string;
}

function zhLabels(name: GridName): GridLabels {
  return {
    one: (id) => (name(id) ? `「${name(id)}」` : `网格 ${id}`),
    list: (ids) =>
      ids.length === 0
        ? ''
        : ids.every((id) => name(id))
          ? ids.map((id) => `「${name(id)}」`).join('、')
          : `网格 ${ids.join('、')}`,
  };
}

function enLabels(name: GridName): GridLabels {
  return {
    one: (id) => (name(id) ? `“${name(id)}”` : `grid ${id}`),
    list: (ids) =>
      ids.length === 0
        ? ''
        : ids.every((id) => name(id))
          ? ids.map((id) => `“${name(id)}”`).join(', ')
          : `grids ${ids.join(', ')}`,
  };
}

/** No space beside Chinese corner quotes (the templates space numbered grids: 网格 3 为 …). */
function tidy(text: string): string {
  return text.replace(/」 /g, '」').replace(/ 「/g, '「');
}

/** The sentence with its first letter in capitals. */
function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ZH: Renderers<PartitionExplanation> = {
  balanced: (e) => `全部 ${e.grids} 个网格的户数都在目标的 ±${Math.round(e.toleranceRatio * 100)}% 以内。`,
  unit_too_large: (e, g) =>
    `单元「${e.unitName}」有 ${whole(e.households)} 户，超过一个网格的上限 ${whole(e.maxHouseholds)} 户（目标 ${whole(e.targetHouseholds)} 户）；单元不拆分，所以${g.one(e.grid)} 必然超标。可在数据中把它拆成更小的单元。`,
  grid_count_rounding: (e) =>
    `${e.lockedGrids > 0 ? `锁定的 ${e.lockedGrids} 个网格之外` : '本乡镇'}共 ${whole(e.households)} 户，按每格 ${whole(e.targetHouseholds)} 户相当于 ${e.exactGrids} 个网格，取整为 ${e.grids} 个，平均每格 ${whole(e.averageHouseholds)} 户（${percent(e.deviationRatio)}），无法每格都达标。`,
  disconnected_part: (e) =>
    `从「${e.firstUnitName}」起的 ${e.unitCount} 个单元共 ${whole(e.households)} 户，${e.enclosedByLockedGrids ? '被锁定网格隔开' : '与乡镇其他部分没有道路相连'}，只能单独划为 ${e.grids} 个网格：${e.gridHouseholds.map(whole).join('/')} 户（目标 ${whole(e.targetHouseholds)} 户，最大偏差 ${percent(e.maxDeviationRatio)}）。`,
  strip_best_split: (e) =>
    `「${e.fromUnitName}」至「${e.toUnitName}」沿路带状分布的 ${e.unitCount} 个单元共 ${whole(e.households)} 户，需要 ${e.grids} 个网格；最优的连续划分为 ${e.gridHouseholds.map(whole).join('/')} 户（目标 ${whole(e.targetHouseholds)} 户，最大偏差 ${percent(e.maxDeviationRatio)}）。`,
  locked_grid_off_target: (e, g) =>
    `${g.one(e.grid)} 已锁定，保持 ${whole(e.households)} 户不变（目标 ${whole(e.targetHouseholds)} 户，${percent(e.deviationRatio)}）。`,
  fixed_units_limit: (e, g) =>
    e.addedUnits > 0
      ? `${g.one(e.grid)} 原有单元不动，接收相邻的 ${e.addedUnits} 个未分配单元（${whole(e.addedHouseholds)} 户）后为 ${whole(e.households)} 户（目标 ${whole(e.targetHouseholds)} 户，${percent(e.deviationRatio)}）；如需均衡请重新划分。`
      : `${g.one(e.grid)} 原有单元不动，附近没有可补充的未分配单元，为 ${whole(e.households)} 户（目标 ${whole(e.targetHouseholds)} 户，${percent(e.deviationRatio)}）；如需均衡请重新划分。`,
  no_better_split_found: (e, g) =>
    `${g.one(e.grid)} 为 ${whole(e.households)} 户（目标 ${whole(e.targetHouseholds)} 户，${percent(e.deviationRatio)}）：在网格保持连片的前提下，与相邻${g.list(e.neighbourGrids) || '网格（无）'} 之间未找到更均衡的划分。`,
  dead_end_valley: (e, g) =>
    `${g.one(e.grid)} 是一条 ${whole(e.households)} 户的尽头山谷，只有一条路与本乡镇其他部分相连（目标 ${whole(e.targetHouseholds)} 户，${percent(e.deviationRatio)}）：网格须沿道路连片，这条山谷只能单独成格，或连同路口外的单元一起划分，与相邻${g.list(e.neighbourGrids) || '网格（无）'} 之间未找到更均衡的划分。`,
  grid_count_raised: (e) =>
    `要求 ${e.requested} 个网格，但待划分的单元分成 ${e.parts} 个互不相连的部分，每部分至少一个网格，因此划为 ${e.grids} 个。`,
  new_grids_for_isolated_units: (e) =>
    `${e.unitCount} 个未分配单元（${whole(e.households)} 户）不与任何已有网格相邻，为其新建 ${e.grids} 个网格。`,
};

const EN: Renderers<PartitionExplanation> = {
  balanced: (e) => `All ${e.grids} grids are within ±${Math.round(e.toleranceRatio * 100)}% of their household target.`,
  unit_too_large: (e, g) =>
    `Unit “${e.unitName}” has ${whole(e.households)} households, more than one grid may hold (${whole(e.maxHouseholds)}; target ${whole(e.targetHouseholds)}). Units are never divided, so ${g.one(e.grid)} is over target; split the unit in the data to fix this.`,
  grid_count_rounding: (e) =>
    `${e.lockedGrids > 0 ? `Outside the ${e.lockedGrids} locked grids there are` : 'The township has'} ${whole(e.households)} households, ${e.exactGrids} grids of ${whole(e.targetHouseholds)}; rounded to ${gridsEn(e.grids)} that is ${whole(e.averageHouseholds)} households per grid (${percent(e.deviationRatio)}), so not every grid can be on target.`,
  disconnected_part: (e) =>
    `The ${e.unitCount === 1 ? 'unit' : `${e.unitCount} units from`} “${e.firstUnitName}” (${whole(e.households)} households) ${e.enclosedByLockedGrids ? 'cut off by locked grids' : 'with no road to the rest of the township'} must form ${gridsEn(e.grids)} of ${e.unitCount === 1 ? 'its' : 'their'} own: ${e.gridHouseholds.map(whole).join('/')} households (target ${whole(e.targetHouseholds)}, largest deviation ${percent(e.maxDeviationRatio)}).`,
  strip_best_split: (e) =>
    `The strip of ${e.unitCount} units along the road from “${e.fromUnitName}” to “${e.toUnitName}” (${whole(e.households)} households) needs ${gridsEn(e.grids)}; the best split into consecutive stretches is ${e.gridHouseholds.map(whole).join('/')} (target ${whole(e.targetHouseholds)}, largest deviation ${percent(e.maxDeviationRatio)}).`,
  locked_grid_off_target: (e, g) =>
    `${cap(g.one(e.grid))} is locked and keeps its ${whole(e.households)} households (target ${whole(e.targetHouseholds)}, ${percent(e.deviationRatio)}).`,
  fixed_units_limit: (e, g) =>
    e.addedUnits > 0
      ? `${cap(g.one(e.grid))} keeps its assigned units; with the ${e.addedUnits} neighbouring unassigned units (${whole(e.addedHouseholds)} households) it holds ${whole(e.households)} (target ${whole(e.targetHouseholds)}, ${percent(e.deviationRatio)}). Re-partition to rebalance.`
      : `${cap(g.one(e.grid))} keeps its assigned units and no unassigned units next to it could be added: it holds ${whole(e.households)} (target ${whole(e.targetHouseholds)}, ${percent(e.deviationRatio)}). Re-partition to rebalance.`,
  no_better_split_found: (e, g) =>
    `${cap(g.one(e.grid))} holds ${whole(e.households)} households (target ${whole(e.targetHouseholds)}, ${percent(e.deviationRatio)}): no more balanced split with its neighbours (${g.list(e.neighbourGrids) || 'none'}) was found that keeps every grid in one piece.`,
  dead_end_valley: (e, g) =>
    `${cap(g.one(e.grid))} is a dead-end valley of ${whole(e.households)} households joined to the rest of the township by a single road (target ${whole(e.targetHouseholds)}, ${percent(e.deviationRatio)}): a grid must be contiguous along the roads, so the valley is a grid of its own or takes in the road beyond its junction, and no more balanced split with its neighbours (${g.list(e.neighbourGrids) || 'none'}) was found.`,
  grid_count_raised: (e) =>
    `${gridsEn(e.requested)} asked for, but the units fall into ${e.parts} parts with no road between them and each needs its own grid, so there are ${e.grids}.`,
  new_grids_for_isolated_units: (e) =>
    `${e.unitCount} unassigned unit${e.unitCount === 1 ? '' : 's'} (${whole(e.households)} households) touch no existing grid, so ${e.grids === 1 ? 'a new grid was' : `${e.grids} new grids were`} made for them.`,
};

type WarningRenderers = {
  [K in MoveWarning['kind']]: (w: Extract<MoveWarning, { kind: K }>, village: string, g: GridLabels) => string;
};

const WARN_ZH: WarningRenderers = {
  locked_grid: (w, _village, g) => `${g.one(w.grid)} 已锁定。`,
  donor_emptied: (w, _village, g) => `移出后${g.one(w.grid)} 将没有任何单元。`,
  donor_split: (w, _village, g) => `移出后${g.one(w.grid)} 将断成 ${w.piecesAfter} 块（原为 ${w.piecesBefore} 块）。`,
  receiver_not_contiguous: (w, _village, g) => `移入后${g.one(w.grid)} 不连片（${w.pieces} 块）。`,
  deviation: (w, _village, g) =>
    `${g.one(w.grid)} 将由 ${whole(w.householdsBefore)} 户变为 ${whole(w.householdsAfter)} 户，偏离目标 ${whole(w.targetHouseholds)} 户 ${percent(w.deviationRatio)}，超出 ±${Math.round(w.toleranceRatio * 100)}%。`,
  village_split: (w, village) => `「${village}」将分属 ${w.gridsAfter} 个网格（原为 ${w.gridsBefore} 个）。`,
};

const WARN_EN: WarningRenderers = {
  locked_grid: (w, _village, g) => `${cap(g.one(w.grid))} is locked.`,
  donor_emptied: (w, _village, g) => `${cap(g.one(w.grid))} would have no units left.`,
  donor_split: (w, _village, g) =>
    `${cap(g.one(w.grid))} would fall into ${w.piecesAfter} pieces (was ${w.piecesBefore}).`,
  receiver_not_contiguous: (w, _village, g) => `${cap(g.one(w.grid))} would not be in one piece (${w.pieces} pieces).`,
  deviation: (w, _village, g) =>
    `${cap(g.one(w.grid))} would go from ${whole(w.householdsBefore)} to ${whole(w.householdsAfter)} households, ${percent(w.deviationRatio)} from its target of ${whole(w.targetHouseholds)}, outside ±${Math.round(w.toleranceRatio * 100)}%.`,
  village_split: (w, village) => `“${village}” would be spread over ${w.gridsAfter} grids (was ${w.gridsBefore}).`,
};

/** One explanation as a plain sentence in Chinese or English. */
export function explanationText(
  explanation: PartitionExplanation,
  language: ExplanationLanguage,
  gridName: GridName = () => undefined,
): string {
  const table = language === 'zh-CN' ? ZH : EN;
  const labels = language === 'zh-CN' ? zhLabels(gridName) : enLabels(gridName);
  return tidy((table[explanation.kind] as (e: PartitionExplanation, g: GridLabels) => string)(explanation, labels));
}

/** One move warning as a plain sentence in Chinese or English; villages by name when `villageName` knows them. */
export function moveWarningText(
  warning: MoveWarning,
  language: ExplanationLanguage,
  villageName: (villageIndex: number) => string | undefined = () => undefined,
  gridName: GridName = () => undefined,
): string {
  const table = language === 'zh-CN' ? WARN_ZH : WARN_EN;
  const labels = language === 'zh-CN' ? zhLabels(gridName) : enLabels(gridName);
  const village =
    warning.kind === 'village_split'
      ? (villageName(warning.villageIndex) ?? `${language === 'zh-CN' ? '村' : 'village'} #${warning.villageIndex}`)
      : '';
  return tidy(
    (table[warning.kind] as (w: MoveWarning, village: string, g: GridLabels) => string)(warning, village, labels),
  );
}

/** Units of one part of the plan and how it was solved, as the explainer needs them. */
export interface PartFacts {
  units: number[];
  /** Output grid ids made for this part (none for a 'fill' part of 'complete' mode). */
  grids: number[];
  how: 'single' | 'strip' | 'search' | 'fill';
  /** For a strip: grid ids in road order. */
  stripGrids?: number[];
  /** No link at all from the part to units outside it. */
  isolated: boolean;
}

/** Facts of a finished plan that explanations are derived from. */
export interface PlanFacts {
  grids: readonly GridResult[];
  parts: readonly PartFacts[];
  unitName: (u: number) => string;
  households: ArrayLike<number>;
  unitTargetHouseholds: ArrayLike<number>;
  /** Target households of a set of units (weighted for a mix). */
  targetOf: (units: readonly number[]) => number;
  /** Sum of unit loads (households / target) of a set of units. */
  loadOf: (units: readonly number[]) => number;
  /** Grid ids next to a grid (by road links). */
  neighbourGrids: (grid: number) => number[];
  /** Road links from a set of units to units outside it. */
  linksOut: (units: readonly number[]) => number;
  lockedIds: ReadonlySet<number>;
  /** Ids of grids that existed before a 'complete' run (their units did not move). */
  fixedIds: ReadonlySet<number>;
  /** Units a 'complete' run added, per receiving grid id. */
  addedUnits: ReadonlyMap<number, number[]>;
  toleranceRatio: number;
  requestedGridCount: number | null;
  newGridCount: number;
  mode: 'full' | 'complete';
}

/**
 * Explanations of a plan: each grid outside the tolerance gets one cause, the first that holds
 * of: locked grid; a unit too large to share a grid; existing units fixed ('complete' mode);
 * its part is a strip split exactly; its part's average is off target (a part cut off, or
 * rounding the grid count); a dead-end valley (one road link to the rest); otherwise no better split found. Causes shared by a part are given once.
 */
export function explainPlan(facts: PlanFacts): PartitionExplanation[] {
  const out: PartitionExplanation[] = [];
  const tolerance = facts.toleranceRatio + 1e-9;
  const gridById = new Map(facts.grids.map((g) => [g.id, g]));
  const partOfGrid = new Map<number, PartFacts>();
  for (const part of facts.parts) for (const id of part.grids) partOfGrid.set(id, part);
  const newParts = facts.parts.filter((p) => p.grids.length > 0);
  // Several parts each needing their own grids: a part whose average is off is cut off, not rounded.
  const splitFreeArea = newParts.length > 1;

  if (facts.requestedGridCount !== null && newParts.length > facts.requestedGridCount) {
    out.push({
      kind: 'grid_count_raised',
      requested: facts.requestedGridCount,
      grids: facts.newGridCount,
      parts: newParts.length,
    });
  }
  if (facts.mode === 'complete') {
    for (const part of newParts) {
      out.push({
        kind: 'new_grids_for_isolated_units',
        unitCount: part.units.length,
        households: sum(part.units, facts.households),
        grids: part.grids.length,
        units: part.units,
      });
    }
  }

  const explainedParts = new Set<PartFacts>();
  let offTarget = 0;
  for (const grid of facts.grids) {
    if (Math.abs(grid.deviationRatio) <= tolerance) continue;
    offTarget++;
    if (facts.lockedIds.has(grid.id)) {
      out.push({ kind: 'locked_grid_off_target', grid: grid.id, ...figures(grid) });
      continue;
    }
    const maxHouseholds = (u: number) =>
      facts.unitTargetHouseholds[u]! + facts.unitTargetHouseholds[u]! * facts.toleranceRatio;
    const large = grid.units.filter((u) => facts.households[u]! > maxHouseholds(u) + 1e-9);
    if (large.length > 0) {
      for (const u of large) {
        out.push({
          kind: 'unit_too_large',
          unit: u,
          unitName: facts.unitName(u),
          households: facts.households[u]!,
          targetHouseholds: facts.unitTargetHouseholds[u]!,
          maxHouseholds: maxHouseholds(u),
          grid: grid.id,
        });
      }
      continue;
    }
    if (facts.fixedIds.has(grid.id)) {
      const added = facts.addedUnits.get(grid.id) ?? [];
      out.push({
        kind: 'fixed_units_limit',
        grid: grid.id,
        ...figures(grid),
        addedUnits: added.length,
        addedHouseholds: sum(added, facts.households),
      });
      continue;
    }
    const part = partOfGrid.get(grid.id);
    if (part && explainedParts.has(part)) continue;
    const partExplanation = part ? explainPart(facts, part, gridById, splitFreeArea) : null;
    if (part && partExplanation) {
      explainedParts.add(part);
      out.push(partExplanation);
      continue;
    }
    out.push({
      kind: facts.linksOut(grid.units) === 1 ? 'dead_end_valley' : 'no_better_split_found',
      grid: grid.id,
      ...figures(grid),
      neighbourGrids: facts.neighbourGrids(grid.id),
    });
  }
  if (offTarget === 0 && facts.grids.length > 0) {
    out.push({ kind: 'balanced', grids: facts.grids.length, toleranceRatio: facts.toleranceRatio });
  }
  return out;
}

function explainPart(
  facts: PlanFacts,
  part: PartFacts,
  gridById: ReadonlyMap<number, GridResult>,
  splitFreeArea: boolean,
): PartitionExplanation | null {
  const households = sum(part.units, facts.households);
  const targetHouseholds = facts.targetOf(part.units);
  const ordered = (part.stripGrids ?? part.grids).map((id) => gridById.get(id)!);
  const gridHouseholds = ordered.map((g) => g.households);
  const maxDeviationRatio = ordered.reduce(
    (worst, g) => (Math.abs(g.deviationRatio) > Math.abs(worst) ? g.deviationRatio : worst),
    0,
  );
  if (part.how === 'strip') {
    const first = part.stripGrids ? gridById.get(part.stripGrids[0]!)! : ordered[0]!;
    const last = part.stripGrids ? gridById.get(part.stripGrids[part.stripGrids.length - 1]!)! : ordered[0]!;
    return {
      kind: 'strip_best_split',
      unitCount: part.units.length,
      fromUnitName: facts.unitName(stripEnd(first, part, 'first')),
      toUnitName: facts.unitName(stripEnd(last, part, 'last')),
      households,
      targetHouseholds,
      grids: part.grids.length,
      gridHouseholds,
      maxDeviationRatio,
      units: part.units,
    };
  }
  const load = facts.loadOf(part.units);
  const averageRatio = load / part.grids.length - 1;
  if (Math.abs(averageRatio) <= facts.toleranceRatio + 1e-9) return null;
  if (splitFreeArea) {
    return {
      kind: 'disconnected_part',
      enclosedByLockedGrids: !part.isolated,
      unitCount: part.units.length,
      firstUnitName: facts.unitName(part.units[0]!),
      households,
      targetHouseholds,
      grids: part.grids.length,
      gridHouseholds,
      maxDeviationRatio,
      units: part.units,
    };
  }
  return {
    kind: 'grid_count_rounding',
    households,
    targetHouseholds,
    exactGrids: Math.round(load * 100) / 100,
    grids: part.grids.length,
    averageHouseholds: households / part.grids.length,
    // As a grid's ratio is computed (exact for whole households and one target).
    deviationRatio: (households / part.grids.length - targetHouseholds) / targetHouseholds,
    lockedGrids: facts.lockedIds.size,
    units: part.units,
  };
}

/** The unit at the outer end of a strip's end grid (strip order is kept in PartFacts.units). */
function stripEnd(grid: GridResult, part: PartFacts, end: 'first' | 'last'): number {
  const inGrid = new Set(grid.units);
  const along = part.units.filter((u) => inGrid.has(u));
  return end === 'first' ? along[0]! : along[along.length - 1]!;
}

function figures(grid: GridResult): { households: number; targetHouseholds: number; deviationRatio: number } {
  return { households: grid.households, targetHouseholds: grid.targetHouseholds, deviationRatio: grid.deviationRatio };
}

function sum(units: readonly number[], values: ArrayLike<number>): number {
  let total = 0;
  for (const u of units) total += values[u]!;
  return total;
}
