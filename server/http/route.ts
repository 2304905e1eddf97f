import type { Request, Response } from 'express';
import { type z } from 'zod';
import type { Role } from '../../contracts/auth.js';

/** Who may call a route (`Role`: contracts/auth.ts). Enforced by the auth layer; shown in the OpenAPI document. */
export type { Role };
export type Access = 'public' | readonly Role[];

/** The logged-in user of a request, as handlers see it. */
export interface RequestUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Townships a planner may edit grids in; null: every township. */
  townships: string[] | null;
  /** The SHA-256 of the session token (for logout and the CSRF check). */
  sessionTokenHash: string;
}

/** What a handler may add to the audit entry of its change (the router writes the entry). */
export interface AuditNote {
  /** What was changed, e.g. `plan 3`; default: the path parameters. */
  target?: string;
  before?: unknown;
  /** Default: the request body (personal fields masked). */
  after?: unknown;
  details?: unknown;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * What a route answers with: a JSON schema, or other content types (files, images, tiles; a list
 * when the client chooses, e.g. CSV or XLSX).
 */
export type RouteResponse =
  | { status?: number; description: string; schema: z.ZodType }
  | { status?: number; description: string; contentType: string | readonly string[] };

/** Everything the handler gets: validated input plus the raw request/response for streaming. */
export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The raw request body of an `upload` route (files: GeoJSON, CSV); empty otherwise. */
  upload: Buffer;
  /** The logged-in user; null only on public routes. */
  user: RequestUser | null;
  /** Describe this change for the audit log (state-changing routes are logged whether or not this is called). */
  audit(note: AuditNote): void;
  req: Request;
  res: Response;
}

/** A route that takes a file as its raw body instead of a JSON document. */
export interface UploadSpec {
  /** Accepted media types, e.g. `['application/geo+json', 'application/json', 'text/csv']`. */
  contentTypes: string[];
  limitBytes: number;
  description: string;
}

/**
 * One API route: its path, the zod schemas that validate its input, who may call it and what it
 * answers. The same definition registers the Express handler and its OpenAPI entry.
 */
export interface RouteDefinition<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** Express-style path under the app root, e.g. `/api/plans/:planId`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  /**
   * A further check of the user, before anything of the request is read: the reason to refuse
   * with 403 (e.g. a planner limited to some townships on a whole-county change), or null.
   */
  refuse?: (user: RequestUser) => string | null;
  params?: P;
  query?: Q;
  body?: B;
  /** Largest JSON body accepted, in bytes (default 2 MiB). */
  bodyLimitBytes?: number;
  /** Set for routes that take a file as the raw body (not with `body`). */
  upload?: UploadSpec;
  response: RouteResponse;
  /**
   * Returns the JSON body, or writes to `res` itself and returns undefined (non-JSON answers).
   */
  handler: (input: HandlerInput<Infer<P>, Infer<Q>, Infer<B>>) => Promise<unknown> | unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of routes of any input types
export type AnyRoute = RouteDefinition<any, any, any>;

/** Define a route with its input types inferred from its schemas. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: RouteDefinition<P, Q, B>): AnyRoute {
  return route as AnyRoute;
}
