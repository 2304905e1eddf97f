import { z } from 'zod';
import { errorBodySchema } from '../../contracts/errors.js';
import type { AnyRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

/**
 * Shared definitions of the route schemas (zod writes a recursive schema, e.g. a JSON value, as a
 * `$defs` entry with a `#/$defs/…` reference), moved to `components.schemas` so that every
 * reference resolves inside the OpenAPI document.
 */
class Definitions {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The schema without its `$defs`, its references renamed to components prefixed with `prefix`. */
  hoist(json: JsonSchema, prefix: string): JsonSchema {
    const { $defs, $schema: _schema, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const rename = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rename);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')
            ? `#/components/schemas/${prefix}${item.slice('#/$defs/'.length)}`
            : rename(item),
        ]),
      );
    };
    for (const [name, definition] of Object.entries($defs ?? {})) {
      this.schemas[`${prefix}${name}`] = rename(definition) as JsonSchema;
    }
    return rename(rest) as JsonSchema;
  }
}

/** JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of what a client must send. */
function inputSchema(schema: z.ZodType, definitions = new Definitions(), prefix = ''): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return definitions.hoist(json, prefix);
}

function outputSchema(schema: z.ZodType, definitions: Definitions, prefix: string): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return definitions.hoist(json, prefix);
}

/** `/api/plans/:planId` → `/api/plans/{planId}` */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = inputSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' ? true : required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * The media types of a route that answers something other than JSON: a list, or (older
 * declarations) one string with ` | ` between types. Each is a file or image: a string of bytes.
 */
function fileContent(contentType: string | readonly string[]): Record<string, JsonSchema> {
  const types = typeof contentType === 'string' ? contentType.split(/\s*\|\s*/) : contentType;
  return Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]));
}

/** The OpenAPI 3.1 document of every route, generated from the schemas that validate them. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const definitions = new Definitions();
  const errorSchema = outputSchema(errorBodySchema, definitions, 'Error.');
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    const status = String(route.response.status ?? 200);
    const operationId = `${route.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;
    const content =
      'schema' in route.response
        ? {
            'application/json': {
              schema: outputSchema(route.response.schema, definitions, `${operationId}.response.`),
            },
          }
        : fileContent(route.response.contentType);
    const operation: JsonSchema = {
      summary: route.summary,
      tags: route.tags,
      operationId,
      'x-access': route.access === 'public' ? 'public' : [...route.access],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses: {
        [status]:
          status === '204'
            ? { description: route.response.description }
            : { description: route.response.description, content },
        '4XX': {
          description: 'The request was refused; the message says why.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '5XX': {
          description: 'An internal error; nothing the client did.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (route.upload) {
      operation.requestBody = {
        required: true,
        description: `${route.upload.description} At most ${route.upload.limitBytes} bytes.`,
        content: Object.fromEntries(
          route.upload.contentTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
        ),
      };
    } else if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: inputSchema(route.body, definitions, `${operationId}.body.`) } },
      };
    }
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '山网 Shanwang API',
      version,
      description:
        'Grid planning, policing and risk maps for mountain counties. `x-access` lists the roles allowed to call each operation.',
    },
    paths,
    components: { schemas: { Error: errorSchema, ...definitions.schemas } },
  };
}
