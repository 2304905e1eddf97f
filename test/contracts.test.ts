import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../contracts/errors.js';
import { responseChecksOn } from '../server/http/response-check.js';
import { openTestDatabase } from './backends.js';
import { startTestServer, type TestServer } from './http.js';

/**
 * Request bodies still declared with an untyped part, in routes another change is giving their
 * contracts now (server/county/routes.ts). Empty this list as they land; nothing may be added.
 */
const UNTYPED_BODY_ALLOWED = new Set([
  'POST /api/counties: $.outline',
  'PUT /api/counties/{code}/road-classes: $.mapping',
]);

/** One media type, as a Content-Type header gives it (`text/csv; charset=utf-8`), not a list of them. */
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+(; ?charset=[a-z0-9-]+)?$/;
const isJson = (mediaType: string) => /^application\/([a-z0-9.-]+\+)?json$/.test(mediaType);

type JsonSchema = Record<string, unknown>;

type Content = Record<string, { schema?: JsonSchema }>;

interface OpenApiOperation {
  tags: string[];
  requestBody?: { content: Content };
  responses: Record<string, { content?: Content }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Keywords that make a JSON Schema say something about its value. */
const SAYS_SOMETHING = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'const', 'enum', 'not', 'properties', 'items'];

/**
 * Where a JSON Schema leaves a value untyped: `{}` (any value), an object with no declared
 * properties whose other keys may be anything (an untyped record), an array of anything. References
 * are followed once each. Returns JSON-pointer-like places.
 */
function untypedPlaces(
  schema: unknown,
  components: Record<string, JsonSchema>,
  place: string,
  seen: Set<string>,
): string[] {
  if (schema === true) return [place];
  if (schema === false || schema === null || typeof schema !== 'object') return [];
  const node = schema as JsonSchema;
  if (!SAYS_SOMETHING.some((key) => key in node)) return [place];
  const found: string[] = [];
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (!seen.has(name)) {
      seen.add(name);
      const target = components[name];
      if (!target) return [`${place} (dangling ${ref})`];
      found.push(...untypedPlaces(target, components, `${place}→${name}`, seen));
    }
  }
  if (node.type === 'object') {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const extra = node.additionalProperties;
    const extraUntyped =
      extra === undefined ||
      extra === true ||
      (typeof extra === 'object' && extra !== null && Object.keys(extra).length === 0);
    if (Object.keys(properties).length === 0 && extraUntyped) found.push(`${place} (untyped object)`);
    for (const [key, value] of Object.entries(properties))
      found.push(...untypedPlaces(value, components, `${place}.${key}`, seen));
    if (extra !== undefined && extra !== false && !extraUntyped) {
      found.push(...untypedPlaces(extra, components, `${place}.*`, seen));
    }
  }
  if (node.type === 'array') {
    if (node.items === undefined && node.prefixItems === undefined) found.push(`${place} (array of anything)`);
    if (node.items !== undefined) found.push(...untypedPlaces(node.items, components, `${place}[]`, seen));
    for (const [i, item] of ((node.prefixItems ?? []) as unknown[]).entries()) {
      found.push(...untypedPlaces(item, components, `${place}[${i}]`, seen));
    }
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, branch] of ((node[key] ?? []) as unknown[]).entries()) {
      found.push(...untypedPlaces(branch, components, `${place}<${key}${i}>`, seen));
    }
  }
  return found;
}

describe('contracts: every JSON answer declared in the OpenAPI document', () => {
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer(await openTestDatabase('pglite'));
    const answer = await server.api<OpenApiDocument>('/api/openapi.json');
    expect(answer.status).toBe(200);
    document = answer.body;
  });

  afterAll(async () => {
    await server?.close();
    await server?.database.close();
  });

  it('runs the tests with every JSON answer checked against its schema', () => {
    expect(responseChecksOn()).toBe(true);
  });

  it('finds an untyped record, an any value and an untyped array (the walk itself)', () => {
    const components = {
      Json: {
        anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { $ref: '#/components/schemas/Json' } }],
      },
    };
    expect(untypedPlaces({ type: 'object', additionalProperties: {} }, {}, '$', new Set())).toEqual([
      '$ (untyped object)',
    ]);
    expect(untypedPlaces({ type: 'object', properties: { a: {} } }, {}, '$', new Set())).toEqual(['$.a']);
    expect(untypedPlaces({ type: 'array' }, {}, '$', new Set())).toEqual(['$ (array of anything)']);
    expect(untypedPlaces({ $ref: '#/components/schemas/Json' }, components, '$', new Set())).toEqual([]);
    expect(untypedPlaces({ $ref: '#/components/schemas/Gone' }, components, '$', new Set())).toEqual([
      '$ (dangling #/components/schemas/Gone)',
    ]);
  });

  it('declares every JSON answer exactly (no untyped objects, records or values), errors included', () => {
    const untyped: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          for (const [mediaType, { schema }] of Object.entries(response.content ?? {})) {
            if (!isJson(mediaType)) continue;
            checked++;
            const places = schema ? untypedPlaces(schema, document.components.schemas, '$', new Set()) : ['no schema'];
            for (const place of places) untyped.push(`${method.toUpperCase()} ${path} ${status}: ${place}`);
          }
        }
      }
    }
    expect(untyped).toEqual([]);
    // 87 operations, each with a 4XX and a 5XX JSON error; 68 of them answer JSON on success.
    expect(checked).toBeGreaterThanOrEqual(2 * 87 + 68);
  });

  it('declares every file answer as one media type with its bytes, and what every answer holds', () => {
    const wrong: string[] = [];
    let files = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (status !== '204' && !response.content) wrong.push(`${where}: no content`);
          for (const [mediaType, { schema }] of Object.entries(response.content ?? {})) {
            if (!MEDIA_TYPE.test(mediaType)) wrong.push(`${where}: "${mediaType}" is not one media type`);
            if (isJson(mediaType)) continue;
            files++;
            if (schema?.type !== 'string' || schema.contentMediaType !== mediaType) {
              wrong.push(`${where} ${mediaType}: ${JSON.stringify(schema)}`);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // Tiles, images, Shapefile/GeoPackage exports, CSV/XLSX tables and GeoJSON files.
    expect(files).toBeGreaterThanOrEqual(20);
  });

  it('declares every JSON request body exactly, but those allowed for now', () => {
    const untyped: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        for (const place of untypedPlaces(schema, document.components.schemas, '$', new Set())) {
          const found = `${method.toUpperCase()} ${path}: ${place}`;
          if (!UNTYPED_BODY_ALLOWED.has(found)) untyped.push(found);
        }
      }
    }
    expect(untyped).toEqual([]);
  });

  it('declares the error body of every route from its contract (contracts/errors.ts)', () => {
    const error = document.components.schemas.Error as { properties: { error: { properties: JsonSchema } } };
    expect(error.properties.error.properties.code).toEqual({ type: 'string', enum: [...ERROR_CODES] });
    const operations = Object.values(document.paths).flatMap((operations) => Object.values(operations));
    const refs = (status: string) =>
      operations.filter(
        (o) => o.responses[status]?.content?.['application/json']?.schema?.$ref === '#/components/schemas/Error',
      );
    expect(refs('4XX').length).toBe(operations.length);
    expect(refs('5XX').length).toBe(operations.length);
  });

  it('resolves every reference of the document inside it', () => {
    const text = JSON.stringify(document);
    const refs = new Set([...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!));
    const dangling = [...refs].filter(
      (ref) => !ref.startsWith('#/components/schemas/') || !(ref.slice(21) in document.components.schemas),
    );
    expect(dangling).toEqual([]);
  });
});
