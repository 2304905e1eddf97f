import { z } from 'zod';
import {
  countyListSchema,
  countyStatsSchema,
  countyStatusSchema,
  countySummarySchema,
  jurisdictionsSchema,
  readinessSchema,
} from '../../contracts/county.js';
import type { AppContext } from '../context.js';
import { ROLES } from '../auth/roles.js';
import { AppError } from '../http/errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { countyCrsEpsg, createCounty, listCounties, setCountyCrs } from './create.js';
import { demoPercent } from './demo.js';
import { confirmJurisdictions, listJurisdictions, proposeJurisdictions } from './jurisdictions.js';
import { countyReadiness } from './readiness.js';
import { roadClassRoutes } from './road-class-routes.js';
import { countyStats } from './stats.js';

const countyCode = z
  .string()
  .regex(/^\d{6}$/, '县级区划代码是 6 位数字（a county code has 6 digits）')
  .describe('County code (GB/T 2260, 6 digits)');
const crsEpsg = z.number().int().min(1).max(999_999);
const countyCrsSchema = z.object({ code: z.string(), name: z.string(), crsEpsg: z.number().int().nullable() });
const townshipCode = z.string().regex(/^\d{9}$/, '乡镇代码是 9 位数字（a township code has 9 digits）');

/** The county model: its loading status and its counts. */
export function countyRoutes(ctx: AppContext): AnyRoute[] {
  const requireCounty = async (code: string) => {
    const found = await ctx.database.db
      .selectFrom('counties')
      .select('code')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!found) throw AppError.notFound(`没有代码为 ${code} 的县（no county ${code} is loaded）`);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/county/status',
      summary: 'Whether the county model is ready, or how far its generation and loading have come',
      tags: ['county'],
      access: ROLES,
      response: { description: 'The loading status.', schema: countyStatusSchema },
      handler: () => {
        const status = ctx.demo.status;
        return {
          state: status.state,
          percent: demoPercent(status),
          ...(status.state === 'generating' ? { step: status.step } : {}),
          ...(status.state === 'loading' ? { layer: status.layer } : {}),
          ...(status.state === 'failed' ? { message: status.message } : {}),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/county/stats',
      summary: 'Counts of every layer of the county model',
      tags: ['county'],
      access: ['admin', 'planner', 'commander', 'leader'],
      query: z.object({
        county: z
          .string()
          .regex(/^\d{6}$/)
          .optional()
          .describe('County code; all counties when absent'),
      }),
      response: {
        description: 'Counts per layer.',
        schema: countyStatsSchema,
      },
      handler: ({ query }) => countyStats(ctx.database.db, query.county),
    }),
    defineRoute({
      method: 'get',
      path: '/api/counties',
      summary: 'The loaded counties, with where their outline comes from and their main counts',
      tags: ['county'],
      access: ROLES,
      response: { description: 'The counties, by code.', schema: countyListSchema },
      handler: async () => ({ counties: await listCounties(ctx.database.db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/counties',
      summary: 'Create a county from its code, name and (optionally) outline; without one, its townships make it',
      tags: ['county'],
      access: ['admin'],
      bodyLimitBytes: 50 * 1024 * 1024,
      body: z.object({
        code: countyCode,
        name: z.string().trim().min(1).max(50),
        outline: z
          .unknown()
          .optional()
          .describe('A GeoJSON Polygon/MultiPolygon, Feature or FeatureCollection (its polygons are joined)'),
        crs: z.string().max(40).optional().describe('wgs84 (default), cgcs2000, gcj02 or EPSG:<code>'),
        crsEpsg: crsEpsg
          .optional()
          .describe(
            "The county's own system (EPSG code) for its exports; default: a projected crs, else the CGCS2000 3-degree Gauss–Krüger zone of its centroid",
          ),
      }),
      response: { status: 201, description: 'The new county.', schema: countySummarySchema },
      handler: async ({ body, audit, res }) => {
        const created = await createCounty(ctx.database.db, {
          code: body.code,
          name: body.name,
          ...(body.outline !== undefined ? { outline: body.outline } : {}),
          ...(body.crs !== undefined ? { crs: body.crs } : {}),
          ...(body.crsEpsg !== undefined ? { crsEpsg: body.crsEpsg } : {}),
        });
        ctx.onDataChanged();
        audit({
          target: `county ${created.code}`,
          after: { code: created.code, name: created.name, outline: created.outline },
        });
        res.status(201);
        return created;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/counties/:code/crs',
      summary: "The county's own coordinate system (EPSG code): the system of its Shapefile and GeoPackage exports",
      tags: ['county'],
      access: ROLES,
      params: z.object({ code: countyCode }),
      response: { description: 'The county and its EPSG code.', schema: countyCrsSchema },
      handler: ({ params }) => countyCrsEpsg(ctx.database.db, params.code),
    }),
    defineRoute({
      method: 'put',
      path: '/api/counties/:code/crs',
      summary:
        "Set the county's own coordinate system (an EPSG code PostGIS knows), or null for the Gauss–Krüger zone of its centroid",
      tags: ['county'],
      access: ['admin'],
      params: z.object({ code: countyCode }),
      body: z.object({ crsEpsg: crsEpsg.nullable() }).strict(),
      response: { description: 'The county and its EPSG code.', schema: countyCrsSchema },
      handler: async ({ params, body, audit }) => {
        const before = await countyCrsEpsg(ctx.database.db, params.code);
        const after = await setCountyCrs(ctx.database.db, params.code, body.crsEpsg);
        audit({ target: `county ${params.code} crs`, before, after });
        return after;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/counties/:code/readiness',
      summary: "Each layer's state and what each capability still needs, with the exact problems in the way",
      tags: ['county'],
      access: ROLES,
      params: z.object({ code: countyCode }),
      response: { description: 'Layers and capabilities.', schema: readinessSchema },
      handler: ({ params }) => countyReadiness(ctx.database.db, params.code),
    }),
    defineRoute({
      method: 'get',
      path: '/api/counties/:code/jurisdictions',
      summary: 'Every township with the police station that serves it (confirmed or proposed)',
      tags: ['county'],
      access: ROLES,
      params: z.object({ code: countyCode }),
      response: { description: 'The jurisdictions.', schema: jurisdictionsSchema },
      handler: async ({ params }) => {
        await requireCounty(params.code);
        return { county: params.code, jurisdictions: await listJurisdictions(ctx.database.db, params.code) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/counties/:code/jurisdictions/proposals',
      summary: 'Propose a station for every township without a confirmed one, by drive time over the roads',
      tags: ['county'],
      access: ['admin', 'commander'],
      params: z.object({ code: countyCode }),
      body: z.object({}).strict(),
      response: { description: 'The jurisdictions with the proposals.', schema: jurisdictionsSchema },
      handler: async ({ params, user, audit }) => {
        await requireCounty(params.code);
        const result = await proposeJurisdictions(ctx.database.db, params.code, user!.username);
        audit({ target: `county ${params.code} jurisdictions`, after: { proposed: result.proposed } });
        return { county: params.code, ...result };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/counties/:code/jurisdictions/confirm',
      summary: 'Confirm proposed jurisdictions (all, or the townships named) and set links by hand',
      tags: ['county'],
      access: ['admin', 'commander'],
      params: z.object({ code: countyCode }),
      body: z
        .object({
          townships: z.union([z.literal('all'), z.array(townshipCode).max(1000)]).optional(),
          links: z
            .array(z.object({ townshipCode, stationCode: z.string().min(1).max(40) }))
            .max(1000)
            .optional(),
        })
        .strict(),
      response: { description: 'The jurisdictions after the change.', schema: jurisdictionsSchema },
      handler: async ({ params, body, user, audit }) => {
        await requireCounty(params.code);
        const before = await listJurisdictions(ctx.database.db, params.code);
        const result = await confirmJurisdictions(ctx.database.db, params.code, user!.username, {
          ...(body.townships !== undefined ? { townships: body.townships } : {}),
          ...(body.links !== undefined ? { links: body.links } : {}),
        });
        ctx.onDataChanged();
        audit({ target: `county ${params.code} jurisdictions`, before, after: result.jurisdictions });
        return { county: params.code, ...result };
      },
    }),
    ...roadClassRoutes(ctx, requireCounty),
  ];
}
