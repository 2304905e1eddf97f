import { describe, expect, it } from 'vitest';
import type { RequestUser } from '../http/route.js';
import type { RouteRefusal } from '../http/router.js';
import type { AuditActor, AuditRecord } from './audit.js';
import { ANONYMOUS, REFUSAL_LIMITS, REFUSAL_SUMMARY_ACTION, RefusalLog } from './refusals.js';

const planner: RequestUser = {
  id: 7,
  username: 'li.na',
  displayName: '李娜',
  role: 'planner',
  townships: ['330329101'],
  sessionTokenHash: 'x',
};

const refusal = (overrides: Partial<RouteRefusal> = {}): RouteRefusal => ({
  action: 'GET /api/grids/plans',
  target: null,
  status: 401,
  code: 'unauthenticated',
  message: 'log in first',
  ip: '10.0.0.1',
  ...overrides,
});

function harness() {
  let now = 1_000_000;
  const rows: { actor: AuditActor; record: AuditRecord }[] = [];
  const log = new RefusalLog({
    write: async (actor, record) => {
      rows.push({ actor, record });
    },
    now: () => now,
  });
  return {
    log,
    rows,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the refusal log', () => {
  it('gives a logged-in user’s refusal a row: who, route, status, code and what was asked', async () => {
    const { log, rows } = harness();
    await log.record(
      planner,
      refusal({
        action: 'POST /api/grids/plans/:id/edits',
        target: 'grid plan 3',
        status: 403,
        code: 'forbidden',
        request: { action: 'move' },
      }),
    );
    expect(rows).toEqual([
      {
        actor: { id: 7, username: 'li.na', role: 'planner' },
        record: {
          action: 'POST /api/grids/plans/:id/edits',
          target: 'grid plan 3',
          status: 403,
          ip: '10.0.0.1',
          details: { code: 'forbidden', message: 'log in first', request: { action: 'move' } },
        },
      },
    ]);
  });

  it('writes no row per anonymous 401, but one summary per window with counts per route and address', async () => {
    const { log, rows, advance } = harness();
    for (let i = 0; i < 1000; i++) {
      await log.record(null, refusal({ ip: `10.0.${i % 50}.1`, action: i % 2 ? 'GET /api/auth/me' : 'GET /api/x' }));
    }
    expect(rows).toEqual([]);
    advance(REFUSAL_LIMITS.windowMs);
    await log.flush();
    expect(rows).toHaveLength(1);
    const [{ actor, record }] = rows as [(typeof rows)[number]];
    expect(actor).toEqual(ANONYMOUS);
    expect(record).toMatchObject({ action: REFUSAL_SUMMARY_ACTION, status: 401, ip: null, target: null });
    const details = record.details as {
      count: number;
      routes: Record<string, number>;
      addresses: Record<string, number>;
      otherAddresses: number;
    };
    expect(details.count).toBe(1000);
    expect(details.routes).toEqual({ 'GET /api/auth/me unauthenticated': 500, 'GET /api/x unauthenticated': 500 });
    expect(Object.keys(details.addresses)).toHaveLength(REFUSAL_LIMITS.maxAddresses);
    expect(details.addresses['10.0.0.1']).toBe(20);
    expect(details.otherAddresses).toBe(1000 - 20 * REFUSAL_LIMITS.maxAddresses);
  });

  it('bounds the rows of a flood: a few each window per actor, then one summary per status', async () => {
    const { log, rows, advance } = harness();
    const windows = 3;
    for (let w = 0; w < windows; w++) {
      for (let i = 0; i < 200; i++) {
        await log.record(null, refusal({ action: 'POST /api/auth/login', status: 429, code: 'rate_limited' }));
        await log.record(planner, refusal({ status: 403, code: 'forbidden' }));
        await log.record(planner, refusal({ status: 409, code: 'conflict' }));
      }
      advance(REFUSAL_LIMITS.windowMs);
    }
    await log.flush();
    const perWindow = REFUSAL_LIMITS.anonymousRows + 1 + REFUSAL_LIMITS.rowsPerUser + 2;
    expect(rows).toHaveLength(windows * perWindow);
    const summaries = rows.filter((r) => r.record.action === REFUSAL_SUMMARY_ACTION);
    expect(summaries).toHaveLength(windows * 3);
    // Every refusal is a row or counted in a summary.
    const counted = summaries.reduce((sum, r) => sum + (r.record.details as { count: number }).count, 0);
    expect(counted + rows.length - summaries.length).toBe(windows * 600);
    const anonymous = summaries.find((r) => r.actor === ANONYMOUS)!;
    expect(anonymous.record).toMatchObject({ status: 429, ip: '10.0.0.1' });
  });

  it('writes the summary of an ended window when the next refusal comes', async () => {
    const { log, rows, advance } = harness();
    await log.record(null, refusal());
    advance(REFUSAL_LIMITS.windowMs + 1);
    await log.record(null, refusal());
    expect(rows.map((r) => [r.record.action, (r.record.details as { count: number }).count])).toEqual([
      [REFUSAL_SUMMARY_ACTION, 1],
    ]);
  });
});
