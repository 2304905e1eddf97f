import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { RoadRouting } from '../routing/service.js';
import { GridService } from './service.js';
import type { UnitBuildProgress } from './unit-store.js';

/** The demo county's grid plan: every township partitioned automatically, made active. */
export const DEMO_GRID_PLAN = { name: '2027年网格方案（自动划分）', seed: 1 } as const;

/**
 * Builds the demo county's grid units and its active grid plan, as a planner would start: an
 * automatic partition of every township that planners then redraw by hand.
 */
export async function seedDemoGridPlan(
  db: Kysely<DB>,
  countyCode: string,
  onProgress?: UnitBuildProgress,
): Promise<number> {
  const grids = new GridService(db, new RoadRouting(db));
  await grids.prepare(countyCode, onProgress);
  const plan = await grids.createPlan({
    countyCode,
    name: DEMO_GRID_PLAN.name,
    seed: DEMO_GRID_PLAN.seed,
    author: 'demo',
  });
  await grids.updatePlan(plan.id, { status: 'active' }, 'demo');
  return plan.id;
}
