/**
 * `npm run bench -- load [--seconds N] [--planners N] [--leaders N] [--planner-think-ms N]
 * [--leader-think-ms N] [--think-ms N]` (LOAD_SERVER_CPU_PROF=<folder>: profile the server): the real app
 * on loopback (its own process, `load-server.ts`) under 20 planners editing different grids of one
 * plan and 50 leaders reading the risk map at once, for 60 s by default.
 *
 * Each planner moves one border unit of its own grid to a neighbouring grid and back, each edit on
 * the revision of the last answer; a 409 (another planner's edit came first) is retried on the
 * revision it names and counted apart, not as an error. Each leader drives the leaders' workspace
 * state (web/src/risk/state.ts) as the browser does: meta first, then after each choice (slider,
 * layer, categories, township, zoom, a hexagon) the requests whose URL changed, in parallel, and the
 * density image when its URL changed. Afterwards the plan's revision history is read over HTTP:
 * every accepted edit must be there under its planner's name (lostEdits = 0).
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type {
  EditResult,
  PlanDetail,
  RevisionInfo,
  StaleEdit,
  UnitFeatureProperties,
} from '../../server/grids/api-types.js';
import { Random } from '../../server/county/generate/random.js';
import type { RiskMeta } from '../../server/risk/api-types.js';
import { loginOverHttp, type TestSession } from '../../test/http.js';
import {
  initialRiskState,
  RISK_CATEGORIES,
  RISK_LAYERS,
  riskData,
  riskResources,
  riskViewOf,
  updateRisk,
  WINDOW_LENGTHS,
  type RiskAction,
  type RiskState,
} from '../../web/src/workspaces/risk/state.js';
import { initialResourceState, updateResourceState } from '../../web/src/frame/resource.js';
import { ms, numberOption, percentile, type Benchmark } from './harness.js';
import type { LoadServerReady, LoadServerStats, PlannerTask } from './load-server.js';

/** A request that has not answered in this long is given up (counted in `timeouts`). */
const REQUEST_TIMEOUT_MS = 30_000;

/** One answered (or failed) request of the load phase. */
interface Sample {
  /** What it was: `edit`, `plan`, `units`, or the risk route (`hexes`, `density.png`, …). */
  kind: string;
  ms: number;
  /** HTTP status; 0 when no answer came (timeout, connection error). */
  status: number;
}

class Recorder {
  readonly samples: Sample[] = [];
  /** Accepted edits: the revision each made and who made it. */
  readonly accepted: { revision: number; username: string }[] = [];

  /** Sends a request as `session`, reads the whole answer and records it; returns status and body. */
  async request(
    session: TestSession,
    kind: string,
    url: string,
    init: RequestInit & { json?: unknown } = {},
    as: 'json' | 'bytes' = 'json',
  ): Promise<{ status: number; body: unknown }> {
    const started = performance.now();
    let status = 0;
    let body: unknown = null;
    try {
      const response = await session.fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      status = response.status;
      const bytes = await response.arrayBuffer();
      body = as === 'bytes' ? bytes : JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      // No answer (status 0), or an answer that is not JSON (its status stands, its body is null).
    }
    this.samples.push({ kind, ms: performance.now() - started, status });
    return { status, body };
  }
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
/** A pause around `thinkMs` (½ to 1½ of it), so that users do not fall into step. */
const think = (thinkMs: number) => (thinkMs > 0 ? sleep(thinkMs * (0.5 + Math.random())) : Promise.resolve());

/** The route a risk URL asks (`/api/risk/hexes?…` → `hexes`). */
const riskKind = (url: string) =>
  url
    .replace(/^\/api\/risk\//, '')
    .replace(/\?.*$/, '')
    .replace(/^cells\/.*/, 'cells');

/** One planner: its unit back and forth between its grid and the neighbouring one until the deadline. */
async function planner(
  recorder: Recorder,
  session: TestSession,
  task: PlannerTask,
  planId: number,
  deadline: number,
  thinkMs: number,
  startGrid: number | null = task.ownGrid,
): Promise<number | null> {
  await think(thinkMs); // Users arrive over the first pause, not all in the same millisecond.
  const opened = await recorder.request(session, 'plan', `/api/grids/plans/${planId}`);
  let revision = (opened.body as PlanDetail | null)?.revision ?? 0;
  let at = startGrid;
  while (performance.now() < deadline) {
    const toGrid = at === task.ownGrid ? task.otherGrid : task.ownGrid;
    const { status, body } = await recorder.request(session, 'edit', `/api/grids/plans/${planId}/edits`, {
      method: 'POST',
      json: { baseRevision: revision, action: 'move', unitIds: [task.unitId], toGrid },
    });
    if (status === 200 && body) {
      const result = body as EditResult;
      recorder.accepted.push({ revision: result.revision, username: task.username });
      revision = result.revision;
      at = result.units.find(([unit]) => unit === task.unitId)?.[1] ?? at;
    } else if (status === 409 && body) {
      // Another planner's edit came first: try again on the revision the answer names.
      revision = (body as StaleEdit).error.details.revision;
      continue;
    } else {
      // Unknown outcome: reread where the unit is (a stale revision is then answered with 409).
      const units = await recorder.request(
        session,
        'units',
        `/api/grids/plans/${planId}/units.geojson?township=${task.townshipCode}`,
      );
      const features = (units.body as { features?: { properties: UnitFeatureProperties }[] } | null)?.features;
      at = features?.find((f) => f.properties.unitId === task.unitId)?.properties.gridId ?? at;
    }
    await think(thinkMs);
  }
  return at;
}

/** One leader: the risk workspace's state and requests, one random choice after another, until the deadline. */
async function leader(
  recorder: Recorder,
  session: TestSession,
  random: Random,
  deadline: number,
  thinkMs: number,
): Promise<void> {
  await think(thinkMs); // Users arrive over the first pause, not all in the same millisecond.
  // Without the meta the workspace shows nothing: asked again until it comes (or the time is up).
  let meta: RiskMeta | null = null;
  while (!meta) {
    const answer = await recorder.request(session, 'meta', '/api/risk/meta');
    if (answer.status === 200 && answer.body) meta = answer.body as RiskMeta;
    else if (performance.now() >= deadline) return;
  }
  let state: RiskState = updateRisk(initialRiskState(), { type: 'risk/meta', meta: { kind: 'ready', data: meta } });
  /** The resource layer's part of the state (web/src/frame/resource.ts), without a county. */
  let table = initialResourceState();
  let densityImage: string | null = null;
  const pick = <T>(list: readonly T[]): T => list[random.int(0, list.length - 1)]!;
  const choices: (() => RiskAction | null)[] = [
    () => ({ type: 'risk/setEndMonth', month: pick(meta.months) }),
    () => ({ type: 'risk/setEndMonth', month: pick(meta.months) }),
    () => ({ type: 'risk/setLayer', layer: pick(RISK_LAYERS) }),
    () => ({ type: 'risk/toggleCategory', category: pick(RISK_CATEGORIES) }),
    () => ({ type: 'risk/setTownship', township: random.chance(0.5) ? null : pick(meta.townships).code }),
    () => ({ type: 'risk/setRankingLevel', level: state.rankingLevel === 'township' ? 'village' : 'township' }),
    () => ({ type: 'risk/setWindowLength', months: pick(WINDOW_LENGTHS) }),
    () => ({ type: 'risk/setZoomedIn', zoomedIn: !state.zoomedIn }),
    () => {
      const hexes = riskData.hexes.of(table).data?.features ?? [];
      return hexes.length > 0 ? { type: 'risk/selectCell', h3: pick(hexes).properties.h3 } : null;
    },
  ];
  // The first round (the workspace's first screen) runs even past the deadline: the warm-up uses it.
  do {
    // As the resource layer: every resource whose wanted URL changed, in parallel.
    const loads: Promise<void>[] = [];
    for (const [name, url] of Object.entries(riskResources(state))) {
      if (url === null || url === table.resources[name]?.key) continue;
      table = updateResourceState(table, { type: 'resource/requested', name, key: url });
      loads.push(
        recorder.request(session, riskKind(url), url).then(({ status, body }) => {
          table = updateResourceState(
            table,
            status !== 200 || !body
              ? { type: 'resource/failed', name, key: url, message: '' }
              : { type: 'resource/loaded', name, key: url, data: body },
          );
        }),
      );
    }
    await Promise.all(loads);
    const density = riskViewOf(state, table).fetched.density.data;
    const image = state.layer === 'density' ? (density?.url ?? null) : null;
    if (image !== null && image !== densityImage) {
      densityImage = image;
      await recorder.request(session, 'density.png', image, {}, 'bytes');
    }
    await think(thinkMs);
    const action = pick(choices)();
    if (action) state = updateRisk(state, action);
  } while (performance.now() < deadline);
}

/** Starts load-server.ts in its own process and waits until it listens. */
function startServer(planners: number, leaders: number, log: (line: string) => void) {
  // The child inherits tsx's loader from this process's execArgv; its output goes to stderr.
  // LOAD_SERVER_CPU_PROF=<folder> writes the server's CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.LOAD_SERVER_CPU_PROF;
  const child = fork(path.resolve('scripts/bench/load-server.ts'), [], {
    env: { ...process.env, LOAD_PLANNERS: String(planners), LOAD_LEADERS: String(leaders) },
    ...(profile ? { execArgv: [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] } : {}),
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const ready = new Promise<LoadServerReady>((resolve, reject) => {
    child.on('message', (message: LoadServerReady) => {
      if (message.type === 'ready') resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`the server process ended (exit code ${code})`)));
    child.once('error', reject);
  });
  log(`server process ${child.pid} preparing`);
  return { child, ready };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Logs in every user, a few at a time (each login checks a password hash on the server). */
async function loginAll(
  baseUrl: string,
  usernames: string[],
  password: string,
  latencies: number[],
): Promise<TestSession[]> {
  const sessions: TestSession[] = new Array(usernames.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < usernames.length; i = next++) {
        const started = performance.now();
        sessions[i] = await loginOverHttp(baseUrl, usernames[i]!, password);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return sessions;
}

const summarise = (samples: readonly Sample[]) => {
  const latencies = samples.map((s) => s.ms);
  return {
    n: samples.length,
    p50Ms: ms(percentile(latencies, 50)),
    p95Ms: ms(percentile(latencies, 95)),
    maxMs: ms(latencies.reduce((a, b) => Math.max(a, b), 0)),
  };
};

/** Figures per kind of request; edits apart by answer (an accepted edit writes, a refused one reads the whole plan). */
function perKind(samples: readonly Sample[]): Record<string, ReturnType<typeof summarise>> {
  const kindOf = (s: Sample) => (s.kind === 'edit' ? `edit ${s.status}` : s.kind);
  const kinds = [...new Set(samples.map(kindOf))].sort();
  return Object.fromEntries(kinds.map((k) => [k, summarise(samples.filter((s) => kindOf(s) === k))]));
}

export const loadBenchmark: Benchmark = {
  summary:
    '20 planners editing one plan and 50 leaders reading the risk map at once over loopback HTTP: p95, 5xx, lost edits [--seconds N] [--planners N] [--leaders N] [--planner-think-ms N] [--leader-think-ms N] [--think-ms N: both]',
  async run(args, log) {
    const option = (name: string, fallback: number) => numberOption(args, name, fallback);
    const seconds = option('--seconds', 60);
    const plannerCount = option('--planners', 20);
    const leaderCount = option('--leaders', 50);
    // A person pauses between actions: a planner picks a unit and its new grid (5 s), a leader moves
    // the slider or changes a layer (1 s). `--think-ms 0` makes it a saturation test instead.
    const bothThink = args.includes('--think-ms') ? option('--think-ms', 0) : null;
    const plannerThinkMs = bothThink ?? option('--planner-think-ms', 5000);
    const leaderThinkMs = bothThink ?? option('--leader-think-ms', 1000);

    const { child, ready } = startServer(plannerCount, leaderCount, log);
    try {
      const server = await ready;
      log(`server ready at ${server.baseUrl} (${server.backend}), plan ${server.planId}`);
      const loginMs: number[] = [];
      let started = performance.now();
      const planners = await loginAll(
        server.baseUrl,
        server.planners.map((p) => p.username),
        server.password,
        loginMs,
      );
      const leaders = await loginAll(server.baseUrl, server.leaders, server.password, loginMs);
      log(
        `${planners.length + leaders.length} users logged in in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );

      // Warm-up, off the clock: the first risk request after a start reads every event into memory.
      started = performance.now();
      const warmup = new Recorder();
      let riskColdStartMs: number | null = null;
      if (leaders[0]) {
        await warmup.request(leaders[0], 'meta', '/api/risk/meta');
        riskColdStartMs = performance.now() - started;
        // Then one leader alone and one planner alone, a few seconds each: what each request costs unloaded.
        await leader(warmup, leaders[0], new Random('warm-up'), performance.now() + 4000, 0);
      }
      const firstGrid = planners[0]
        ? await planner(warmup, planners[0], server.planners[0]!, server.planId, performance.now() + 4000, 0)
        : null;
      const failed = warmup.samples.filter((s) => s.status !== 200);
      if (failed.length > 0) throw new Error(`warm-up: ${failed.map((s) => `${s.kind} ${s.status}`).join(', ')}`);
      log(`warm-up: ${((performance.now() - started) / 1000).toFixed(1)} s (risk meta cold ${riskColdStartMs} ms)`);
      const serverStats = () =>
        new Promise<LoadServerStats>((resolve) => {
          child.once('message', (message: LoadServerStats) => resolve(message));
          child.send('stats');
        });
      child.send('reset');
      const generatorCpu = process.cpuUsage();
      const loadBefore = os.loadavg()[0]!;

      const recorder = new Recorder();
      started = performance.now();
      const deadline = started + seconds * 1000;
      let reported = 0;
      const progress = setInterval(() => {
        const now = recorder.samples.length;
        const window = recorder.samples.slice(reported);
        reported = now;
        const elapsed = (performance.now() - started) / 1000;
        log(
          `${elapsed.toFixed(0)} s: ${now} requests (${(window.length / 5).toFixed(0)}/s), p95 last 5 s ${ms(
            percentile(
              window.map((s) => s.ms),
              95,
            ),
          )} ms, ${recorder.accepted.length} edits accepted, ${
            recorder.samples.filter((s) => s.status === 409).length
          } conflicts, ${recorder.samples.filter((s) => s.status >= 500 || s.status === 0).length} errors`,
        );
      }, 5000);
      const random = new Random('load-bench');
      try {
        await Promise.all([
          ...server.planners.map((task, i) =>
            planner(
              recorder,
              planners[i]!,
              task,
              server.planId,
              deadline,
              plannerThinkMs,
              i === 0 ? firstGrid : task.ownGrid,
            ),
          ),
          ...leaders.map((session, i) =>
            leader(recorder, session, random.fork(`leader ${i}`), deadline, leaderThinkMs),
          ),
        ]);
      } finally {
        clearInterval(progress);
      }
      const elapsedSeconds = (performance.now() - started) / 1000;
      const generatorUsed = process.cpuUsage(generatorCpu);
      const stats = await serverStats();
      const loadAfter = os.loadavg()[0]!;

      // Every accepted edit must be in the plan's history, under its planner's name.
      const reader = planners[0] ?? leaders[0];
      const history = reader ? await reader.fetch(`/api/grids/plans/${server.planId}/revisions`) : null;
      if (history && history.status !== 200) throw new Error(`revisions: HTTP ${history.status}`);
      const revisions = history ? ((await history.json()) as RevisionInfo[]) : [];
      const benchPlanners = new Set(server.planners.map((p) => p.username));
      const byBench = revisions.filter((r) => benchPlanners.has(r.author) && r.action === 'move');
      const recorded = new Set(byBench.map((r) => `${r.revision} ${r.author}`));
      const accepted = [...warmup.accepted, ...recorder.accepted];
      const lostEdits = accepted.filter((e) => !recorded.has(`${e.revision} ${e.username}`)).length;
      const authors = [...new Set(revisions.map((r) => r.author))];
      if (byBench.length === 0 && accepted.length > 0) {
        log(`no revision is authored by a bench planner; authors in the history: ${authors.join(', ')}`);
      }

      const { samples } = recorder;
      const all = samples.map((s) => s.ms);
      const edits = samples.filter((s) => s.kind === 'edit');
      const reads = samples.filter((s) => s.kind !== 'edit');
      return {
        seconds,
        planners: plannerCount,
        leaders: leaderCount,
        plannerThinkMs,
        leaderThinkMs,
        requests: samples.length,
        rps: Math.round(samples.length / elapsedSeconds),
        errors5xx: samples.filter((s) => s.status >= 500).length,
        errors4xx: samples.filter((s) => s.status >= 400 && s.status < 500 && s.status !== 409).length,
        conflicts409: samples.filter((s) => s.status === 409).length,
        timeouts: samples.filter((s) => s.status === 0).length,
        p50Ms: ms(percentile(all, 50)),
        p95Ms: ms(percentile(all, 95)),
        p99Ms: ms(percentile(all, 99)),
        editP95Ms: ms(
          percentile(
            edits.map((s) => s.ms),
            95,
          ),
        ),
        readP95Ms: ms(
          percentile(
            reads.map((s) => s.ms),
            95,
          ),
        ),
        editsAccepted: accepted.length,
        editsInHistory: byBench.length,
        lostEdits,
        loginP95Ms: ms(percentile(loginMs, 95)),
        riskColdStartMs: riskColdStartMs === null ? null : ms(riskColdStartMs),
        serverCpuSeconds: stats.cpuSeconds,
        // The load generator shares the machine: its CPU is CPU the server did not get.
        generatorCpuSeconds: Math.round((generatorUsed.user + generatorUsed.system) / 1e4) / 100,
        eventLoopDelayP99Ms: stats.eventLoopDelayP99Ms,
        eventLoopDelayMaxMs: stats.eventLoopDelayMaxMs,
        machine: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
        // The cold first risk request apart.
        unloaded: perKind(leaders[0] ? warmup.samples.slice(1) : warmup.samples),
        byKind: perKind(samples),
        backend: server.backend,
      };
    } finally {
      await stopServer(child);
    }
  },
};
