import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.js';
import { AppError, errorMiddleware, notFoundHandler } from './errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { defineRoute } from './route.js';
import { buildRouter } from './router.js';

// A small route table exercising params, query and body validation through the real router.
const routes = [
  defineRoute({
    method: 'post',
    path: '/api/things/:thingId/notes',
    summary: 'Add a note to a thing',
    tags: ['test'],
    access: 'public',
    params: z.object({ thingId: z.coerce.number().int().positive() }),
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    body: z.object({ text: z.string().min(1).max(20), households: z.number().int().min(0) }),
    response: { status: 201, description: 'The note.', schema: z.object({ id: z.number(), text: z.string() }) },
    handler: ({ params, body }) => {
      if (body.text === 'conflict') throw AppError.conflict('Someone else changed it.', { current: 7 });
      if (body.text === 'crash') throw new Error('secret internal detail');
      return { id: params.thingId, text: body.text };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/files',
    summary: 'Take a CSV file',
    tags: ['test'],
    access: 'public',
    upload: { contentTypes: ['text/csv'], limitBytes: 1000, description: 'A CSV file.' },
    response: { description: 'Its size and first line.', schema: z.object({ bytes: z.number(), first: z.string() }) },
    handler: ({ upload }) => ({ bytes: upload.length, first: upload.toString('utf8').split('\n')[0] }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/secret',
    summary: 'A route for admins only',
    tags: ['test'],
    access: ['admin'],
    body: z.object({ text: z.string() }),
    response: { description: 'Never reached here.', schema: z.object({}) },
    handler: () => ({}),
  }),
];

describe('the route table', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const app = express();
    app.use(buildRouter(routes));
    app.use(notFoundHandler);
    app.use(errorMiddleware(createLogger('silent')));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('passes validated, coerced input to the handler and answers with the declared status', async () => {
    const response = await post('/api/things/42/notes?dryRun=true', { text: 'hello', households: 3 });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 42, text: 'hello' });
  });

  it('lists every problem of a bad request, naming where each is', async () => {
    const response = await post('/api/things/abc/notes?dryRun=maybe', { text: '', households: -1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; details: { problems: unknown[] } };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/^Invalid request: params\.thingId: /);
    expect(body.error.details.problems).toEqual([
      { where: 'params', path: 'thingId', message: expect.any(String) },
      { where: 'query', path: 'dryRun', message: expect.any(String) },
      { where: 'body', path: 'text', message: expect.any(String) },
      { where: 'body', path: 'households', message: expect.any(String) },
    ]);
  });

  it('answers a malformed JSON body with 400 malformed_json, not a stack trace', async () => {
    const response = await fetch(`${baseUrl}/api/things/1/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": ',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'malformed_json', message: 'The request body is not valid JSON.' },
    });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses a body of the wrong media type with 415 and an oversized one with 413', async () => {
    const wrongType = await fetch(`${baseUrl}/api/things/1/notes`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const tooLarge = await post('/api/things/1/notes', { text: 'x'.repeat(3 * 1024 * 1024), households: 1 });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('hands an upload route its raw body, within its own limit and media types', async () => {
    const ok = await fetch(`${baseUrl}/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      body: 'code,name\n1,泰顺\n',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bytes: Buffer.byteLength('code,name\n1,泰顺\n'), first: 'code,name' });
    const json = await post('/api/files', { a: 1 });
    expect(json.status).toBe(415);
    const big = await fetch(`${baseUrl}/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'x'.repeat(2000),
    });
    expect(big.status).toBe(413);
  });

  it('turns an AppError into its status and a stable body', async () => {
    const response = await post('/api/things/1/notes', { text: 'conflict', households: 0 });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'conflict', message: 'Someone else changed it.', details: { current: 7 } },
    });
  });

  it('refuses a route with roles before reading its body when nobody is logged in', async () => {
    const response = await fetch(`${baseUrl}/api/secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken": ',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('hides the detail of an unexpected error behind a 500', async () => {
    const response = await post('/api/things/1/notes', { text: 'crash', households: 0 });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'An internal error occurred. It has been logged.' },
    });
    expect(text).not.toContain('secret');
  });

  it('documents the route with its parameters, body, roles and responses', () => {
    const document = buildOpenApiDocument(routes, '1.0.0') as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const operation = document.paths['/api/things/{thingId}/notes']!.post!;
    expect(operation['x-access']).toBe('public');
    expect(document.paths['/api/secret']!.post!['x-access']).toEqual(['admin']);
    expect(operation.parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) },
      { name: 'dryRun', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
    ]);
    expect(operation.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: expect.objectContaining({ type: 'object', required: ['text', 'households'] }),
        },
      },
    });
    expect(Object.keys(operation.responses as object)).toEqual(['201', '4XX', '5XX']);
  });
});
