/**
 * The server side of `npm run bench -- load`, run in its own process (forked by load.ts) so that the
 * load generator never shares the server's event loop. It opens the bench database (the server in
 * DATABASE_URL, else a fresh PGlite), loads the demo county when missing, builds the grid units,
 * stores a fresh plan, creates the bench users, picks each planner's grid, starts the real app on
 * 127.0.0.1:0, and sends a `LoadServerReady` message to its parent. It stops on the message
 * `'stop'` (or when the parent goes away), closing the server and the database.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { createApp } from '../../server/app.js';
import { createUser } from '../../server/auth/store.js';
import { openAppContext } from '../../server/context.js';
import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import type { CountyModel } from '../../server/grids/model.js';
import { createLogger } from '../../server/logger.js';
import { withDatabase } from '../../test/env.js';
import { listenOnLoopback } from '../../test/http.js';
import { openBenchDatabase, serverBenchDatabase } from './harness.js';

/** The kept database on a PostgreSQL server (the demo county, loaded once). */
export const LOAD_BENCH_DATABASE = 'shanwang_bench_load';

/** One planner's work: move `unitId` from its grid `ownGrid` to the neighbouring grid `otherGrid` and back. */
export interface PlannerTask {
  username: string;
  townshipCode: string;
  unitId: number;
  ownGrid: number;
  otherGrid: number;
}

/** What the server process tells the load generator once it listens. */
export interface LoadServerReady {
  type: 'ready';
  baseUrl: string;
  backend: 'pglite' | 'postgres';
  planId: number;
  password: string;
  planners: PlannerTask[];
  leaders: string[];
}

/** The server process's own figures since the last `'reset'`, sent on the message `'stats'`. */
export interface LoadServerStats {
  type: 'stats';
  /** CPU time of the server process (user + system), seconds. */
  cpuSeconds: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

const log = (line: string) => process.stderr.write(`[server] ${line}\n`);

/** Opens the bench database with the county loaded; on a server, with the app's default pool. */
async function openLoadDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    // Loads the county once (kept for later runs); then reopened with the pool the app uses in production.
    await (await serverBenchDatabase(url, LOAD_BENCH_DATABASE, 1, log)).close();
    return openDatabase({ kind: 'postgres', url: withDatabase(url, LOAD_BENCH_DATABASE) });
  }
  const database = await openBenchDatabase(log);
  await forEachGeneratedCounty({ seed: DEMO_SEED, scale: 1 }, log, (model) => loadCountyModel(database.db, model));
  return database;
}

/**
 * One border unit per planner, each in a grid of its own whose neighbouring grid no other planner
 * touches (so each planner always knows where its unit is); townships taken in turn. The unit's
 * grid keeps at least one other unit.
 */
function pickTasks(
  model: CountyModel,
  gridOf: Map<number, number | null>,
  unitsInGrid: Map<number, number>,
  count: number,
): Omit<PlannerTask, 'username'>[] {
  const used = new Set<number>();
  const candidates = [...model.townships.values()].map((township) => {
    const moves: Omit<PlannerTask, 'username'>[] = [];
    for (let u = 0; u < township.units.length; u++) {
      const unitId = township.unitIds[u]!;
      const ownGrid = gridOf.get(unitId);
      if (ownGrid == null || (unitsInGrid.get(ownGrid) ?? 0) < 2) continue;
      for (let e = township.graph.adjStart[u]!; e < township.graph.adjStart[u + 1]!; e++) {
        const otherGrid = gridOf.get(township.unitIds[township.graph.adjTarget[e]!]!);
        if (otherGrid != null && otherGrid !== ownGrid) {
          moves.push({ townshipCode: township.code, unitId, ownGrid, otherGrid });
          break;
        }
      }
    }
    return moves;
  });
  const tasks: Omit<PlannerTask, 'username'>[] = [];
  // Townships in turn, so the planners spread over the county.
  for (let added = true; added && tasks.length < count;) {
    added = false;
    for (const moves of candidates) {
      const move = moves.find((m) => !used.has(m.ownGrid) && !used.has(m.otherGrid));
      if (!move) continue;
      tasks.push(move);
      used.add(move.ownGrid).add(move.otherGrid);
      added = true;
      if (tasks.length === count) break;
    }
  }
  if (tasks.length < count)
    throw new Error(`only ${tasks.length} planners can get grids of their own (wanted ${count})`);
  return tasks;
}

async function main(): Promise<void> {
  const planners = Number(process.env.LOAD_PLANNERS ?? 20);
  const leaders = Number(process.env.LOAD_LEADERS ?? 50);
  const database = await openLoadDatabase();
  const db = database.db;
  const ctx = await openAppContext(database, { logger: createLogger('silent'), webDir: path.resolve('dist/web') });
  const county = (await db.selectFrom('counties').select('code').orderBy('code').executeTakeFirstOrThrow()).code;
  const status = await ctx.grids.prepare(county, (done, total, name) => log(`units: ${name} ${done}/${total}`));
  log(`units: ${status.units}, ${status.rebuilt ? 'built' : 'already built'}`);
  const run = Date.now().toString(36);
  let started = performance.now();
  const plan = await ctx.grids.createPlan({ countyCode: county, name: `bench load ${run}`, author: 'bench' });
  log(`plan ${plan.id} (${plan.summary.grids} grids) stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const rows = await db
    .selectFrom('grid_plan_units')
    .select(['unit_id', 'grid_id'])
    .where('plan_id', '=', plan.id)
    .execute();
  const gridOf = new Map(rows.map((r) => [r.unit_id, r.grid_id]));
  const unitsInGrid = new Map<number, number>();
  for (const r of rows) if (r.grid_id !== null) unitsInGrid.set(r.grid_id, (unitsInGrid.get(r.grid_id) ?? 0) + 1);
  const tasks = pickTasks(await ctx.grids.model(county), gridOf, unitsInGrid, planners);

  // Fresh names each run, so the history check sees only this run's authors.
  const password = randomBytes(18).toString('base64url');
  started = performance.now();
  const plannerTasks: PlannerTask[] = [];
  for (const [i, task] of tasks.entries()) {
    const username = `bench-planner-${String(i + 1).padStart(2, '0')}-${run}`;
    await createUser(db, {
      username,
      displayName: username,
      role: 'planner',
      townships: [task.townshipCode],
      password,
    });
    plannerTasks.push({ username, ...task });
  }
  const leaderNames: string[] = [];
  for (let i = 0; i < leaders; i++) {
    const username = `bench-leader-${String(i + 1).padStart(2, '0')}-${run}`;
    await createUser(db, { username, displayName: username, role: 'leader', townships: null, password });
    leaderNames.push(username);
  }
  log(`${planners} planners and ${leaders} leaders created in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const { server, baseUrl } = await listenOnLoopback(createApp(ctx));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    process.exit(0);
  };
  // How long callbacks waited for the event loop: high when synchronous work (JSON, statistics) hogs it.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let cpu = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    if (message === 'reset') {
      loopDelay.reset();
      cpu = process.cpuUsage();
    }
    if (message === 'stats') {
      const used = process.cpuUsage(cpu);
      const stats: LoadServerStats = {
        type: 'stats',
        cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100,
        eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
        eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e4) / 100,
      };
      process.send!(stats);
    }
  });
  process.on('disconnect', () => void stop());
  const ready: LoadServerReady = {
    type: 'ready',
    baseUrl,
    backend: database.kind === 'postgres' ? 'postgres' : 'pglite',
    planId: plan.id,
    password,
    planners: plannerTasks,
    leaders: leaderNames,
  };
  process.send!(ready);
}

main().catch((err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
