import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.js';
import { errorMiddleware } from './errors.js';
import { firstDifference, responseChecksOn, responseProblem } from './response-check.js';
import { defineRoute } from './route.js';
import { buildRouter } from './router.js';

const plan = z.object({ id: z.number().int(), name: z.string(), grids: z.array(z.object({ households: z.number() })) });

describe('responseProblem', () => {
  it('accepts an answer that is exactly its schema', () => {
    expect(responseProblem(plan, { id: 3, name: '南部', grids: [{ households: 201 }] })).toBeNull();
  });

  it('names a field of the wrong type, a missing field and a field the schema does not declare', () => {
    expect(responseProblem(plan, { id: '3', name: '南部', grids: [] })).toMatch(/^\$\.id: /);
    expect(responseProblem(plan, { id: 3, grids: [] })).toMatch(/^\$\.name: /);
    expect(responseProblem(plan, { id: 3, name: '南部', grids: [{ households: 1, worker: 'x' }] })).toBe(
      '$.grids[0].worker: not in the contract',
    );
  });

  it('finds a default the schema would add', () => {
    expect(firstDifference({ a: 1, b: 2 }, { a: 1 })).toBe('$.b: added by the contract (a default?)');
  });

  it('is on in the tests and with SHANWANG_CHECK_RESPONSES=1 only', () => {
    expect(responseChecksOn({ NODE_ENV: 'test' })).toBe(true);
    expect(responseChecksOn({ NODE_ENV: 'production', SHANWANG_CHECK_RESPONSES: '1' })).toBe(true);
    expect(responseChecksOn({ NODE_ENV: 'production' })).toBe(false);
  });
});

// What each route answers is chosen by the query, so that one route shows a fitting and a drifting answer.
const answers: Record<string, unknown> = {
  fits: { id: 1, name: 'a', grids: [] },
  extra: { id: 1, name: 'a', grids: [], secret: 'x' },
  wrong: { id: 1.5, name: 'a', grids: [] },
};

const routes = [
  defineRoute({
    method: 'get',
    path: '/api/plan',
    summary: 'A plan, returned',
    tags: ['test'],
    access: 'public',
    query: z.object({ answer: z.enum(['fits', 'extra', 'wrong']) }),
    response: { description: 'The plan.', schema: plan },
    handler: ({ query }) => answers[query.answer],
  }),
  defineRoute({
    method: 'get',
    path: '/api/plan-text',
    summary: 'A plan, sent as cached JSON text',
    tags: ['test'],
    access: 'public',
    query: z.object({ answer: z.enum(['fits', 'extra', 'wrong']) }),
    response: { description: 'The plan.', schema: plan },
    handler: ({ query, res }) => {
      res.type('application/json').send(JSON.stringify(answers[query.answer]));
    },
  }),
];

describe('the router checks answers against their schemas', () => {
  const servers: Server[] = [];
  const urls: Record<'checked' | 'unchecked', string> = { checked: '', unchecked: '' };

  beforeAll(async () => {
    for (const mode of ['checked', 'unchecked'] as const) {
      const app = express();
      app.use(buildRouter(routes, undefined, { checkResponses: mode === 'checked' }));
      app.use(errorMiddleware(createLogger('silent')));
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      const address = server.address();
      urls[mode] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  for (const path of ['/api/plan', '/api/plan-text']) {
    it(`${path}: sends a fitting answer as it is`, async () => {
      const response = await fetch(`${urls.checked}${path}?answer=fits`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(answers.fits);
    });

    it(`${path}: refuses to send an answer with an undeclared field or a wrong type (500 response_invalid)`, async () => {
      const extra = await fetch(`${urls.checked}${path}?answer=extra`);
      expect(extra.status).toBe(500);
      const body = (await extra.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('response_invalid');
      expect(body.error.message).toContain('$.secret: not in the contract');
      const wrong = await fetch(`${urls.checked}${path}?answer=wrong`);
      expect(wrong.status).toBe(500);
      expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/\$\.id: /);
    });

    it(`${path}: sends the answer unchecked when checks are off`, async () => {
      const response = await fetch(`${urls.unchecked}${path}?answer=extra`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(answers.extra);
    });
  }
});
