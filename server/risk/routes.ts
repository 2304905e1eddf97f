import type { Request, Response } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { wholeNumberText } from '../http/params.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import { visitTotals } from '../policing/visits-repository.js';
import {
  riskCellBreakdownSchema,
  riskDensitySchema,
  riskEmergingSchema,
  riskGovernanceSchema,
  riskHexesSchema,
  riskHotspotsSchema,
  riskMetaSchema,
  riskRankingSchema,
  type RiskCategory,
  type RiskGovernance,
  type RiskMeta,
} from '../../contracts/risk.js';
import { riskCell, riskDensity, riskEmerging, riskHexes, riskHotspots, riskRanking } from './answers.js';
import { countEvents, RISK_CATEGORIES } from './event-index.js';
import { monthText, parseMonth, RISK_RESOLUTIONS, type RiskCounty, type RiskSelection } from './service.js';

/** Everyone reads the risk map; it holds aggregates only. */
const READERS: Role[] = ['admin', 'planner', 'commander', 'leader'];

/**
 * Figures the seed report gives that the data does not hold (mediation cases, the petition
 * backlog): shown as reported, labelled so.
 */
const REPORTED = {
  mediation: { accepted: 315, resolved: 312 },
  petitions: { backlog: 43, resolved: 37, year: 2019 },
} as const;

const categoriesParam = z
  .string()
  .optional()
  .describe('Comma-separated categories; all when absent')
  .transform((text, ctx) => {
    if (!text) return [...RISK_CATEGORIES] as RiskCategory[];
    const list = [...new Set(text.split(',').filter(Boolean))];
    const unknown = list.filter((c) => !(RISK_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length || list.length === 0) {
      ctx.addIssue({ code: 'custom', message: `未知类别（unknown categories）：${unknown.join(',') || '(none)'}` });
      return z.NEVER;
    }
    return list as RiskCategory[];
  });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM（months are YYYY-MM）');
const countyParam = z
  .string()
  .regex(/^\d{6}$/)
  .optional()
  .describe('County code; the first county when absent');
const windowQuery = z.object({
  county: countyParam,
  categories: categoriesParam,
  from: month.optional().describe('First month of the window (default: the last month with data)'),
  to: month.optional().describe('Last month of the window, included (default: the last month with data)'),
  township: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  village: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
});
const resolutionParam = z.coerce
  .number()
  .int()
  .refine((r) => (RISK_RESOLUTIONS as readonly number[]).includes(r), `级别为 ${RISK_RESOLUTIONS.join(' 或 ')}`)
  .optional();

type WindowQuery = z.output<typeof windowQuery>;

/** The risk map for county leaders: hexagons, hotspots, density, trends, rankings, governance figures. */
export function riskRoutes(ctx: Pick<AppContext, 'database' | 'risk'>): AnyRoute[] {
  const service = ctx.risk;
  const resolve = async (query: WindowQuery): Promise<{ county: RiskCounty; selection: RiskSelection }> => {
    const county = await service.county(await service.countyCode(query.county));
    const fromMonth = query.from ? parseMonth(query.from) : county.lastMonth;
    const toMonth = query.to ? parseMonth(query.to) : county.lastMonth;
    return {
      county,
      selection: {
        categories: query.categories,
        fromMonth,
        toMonth,
        township: query.township,
        village: query.village,
      },
    };
  };
  /** Answer from the service's cache of whole answers (the data changes only by imports). */
  const cachedJson = async (req: Request, res: Response, compute: () => Promise<unknown>): Promise<undefined> => {
    const text = await service.answer(req.originalUrl, async () => JSON.stringify(await compute()));
    res.type('application/json').send(text);
    return undefined;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/risk/meta',
      summary: 'What the risk map covers: categories, months with data, resolutions, townships',
      tags: ['risk'],
      access: READERS,
      query: z.object({ county: countyParam }),
      response: { description: 'The coverage.', schema: riskMetaSchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async (): Promise<RiskMeta> => {
          const county = await service.county(await service.countyCode(query.county));
          const months: string[] = [];
          for (let m = county.firstMonth; m <= county.lastMonth; m++) months.push(monthText(m));
          return {
            countyCode: county.countyCode,
            categories: [...RISK_CATEGORIES] as RiskCategory[],
            months,
            resolutions: [...RISK_RESOLUTIONS],
            defaultBandwidthMetres: county.defaultBandwidthMetres,
            townships: county.townships,
            events: county.index.count,
          };
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/hexes',
      summary: 'Hexagons with events in the window, per month, in classes fixed over the whole range',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({
        resolution: resolutionParam,
        measure: z.enum(['count', 'per1000']).default('count'),
      }),
      response: { description: 'A GeoJSON FeatureCollection with the breaks.', schema: riskHexesSchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          return riskHexes(service, county, selection, query.resolution ?? RISK_RESOLUTIONS[0], query.measure);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/hotspots',
      summary: 'Significant hot and cold spots (Getis-Ord Gi*, FDR-corrected) of the window',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({ resolution: resolutionParam }),
      response: { description: 'A GeoJSON FeatureCollection of significant hexagons.', schema: riskHotspotsSchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          return riskHotspots(service, county, selection, query.resolution ?? RISK_RESOLUTIONS[0]);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/emerging',
      summary: 'Emerging-hotspot labels of hexagons over every month (new, intensifying, persistent…)',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({ resolution: resolutionParam }),
      response: { description: 'A GeoJSON FeatureCollection of labelled hexagons.', schema: riskEmergingSchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          return riskEmerging(service, county, selection, query.resolution ?? RISK_RESOLUTIONS[0]);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/density',
      summary: 'Where the kernel-density image of the window goes, and its fixed colour breaks',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({ bandwidthMetres: z.coerce.number().min(100).max(10_000).optional() }),
      response: { description: 'The image URL, corners and breaks.', schema: riskDensitySchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          const bandwidth = query.bandwidthMetres ?? county.defaultBandwidthMetres;
          const { meta } = riskDensity(service, county, selection, bandwidth);
          const params = new URLSearchParams(req.query as Record<string, string>);
          params.set('bandwidthMetres', String(bandwidth));
          return { url: `/api/risk/density.png?${params.toString()}`, ...meta };
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/density.png',
      summary: 'The kernel-density image of the window (bandwidth in metres; colours fixed over the range)',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({ bandwidthMetres: z.coerce.number().min(100).max(10_000).optional() }),
      response: { description: 'A PNG; transparent where there are no events.', contentType: 'image/png' },
      handler: async ({ query, req, res }) => {
        const { county, selection } = await resolve(query);
        const bandwidth = query.bandwidthMetres ?? county.defaultBandwidthMetres;
        const png = await service.answer(req.originalUrl, () =>
          riskDensity(service, county, selection, bandwidth).png(),
        );
        res.type('image/png').set('Cache-Control', 'no-cache').send(png);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/cells/:h3',
      summary: 'What one hexagon holds in the window: by category, by month, by village (aggregates)',
      tags: ['risk'],
      access: READERS,
      params: z.object({ h3: z.string().regex(/^[0-9a-f]{15}$/, '不是有效的六边形编号（not an H3 cell）') }),
      query: windowQuery,
      response: { description: 'The breakdown.', schema: riskCellBreakdownSchema },
      handler: ({ params, query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          return riskCell(service, county, selection, params.h3);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/ranking',
      summary: 'Townships or villages ranked by events in the window, with the change on last year and the trend',
      tags: ['risk'],
      access: READERS,
      query: windowQuery.extend({
        level: z.enum(['township', 'village']).default('township'),
        limit: wholeNumberText(1, 500).default(30),
      }),
      response: { description: 'The ranking.', schema: riskRankingSchema },
      handler: ({ query, req, res }) =>
        cachedJson(req, res, async () => {
          const { county, selection } = await resolve(query);
          return riskRanking(service, county, selection, query.level, query.limit);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/risk/governance',
      summary:
        'Governance figures: mediation, petition backlog (as reported), backpack policing and 12-month changes (from the data)',
      tags: ['risk'],
      access: READERS,
      query: z.object({ county: countyParam }),
      response: { description: 'The figures.', schema: riskGovernanceSchema },
      handler: async ({ query }): Promise<RiskGovernance> => {
        const code = await service.countyCode(query.county);
        const county = await service.county(code);
        const rooms = await sql<{ n: number }>`
          select count(*) as n from mediation_rooms where county_code = ${code}`.execute(ctx.database.db);
        const visits = await visitTotals(ctx.database.db, { countyCode: code });
        const twelve = (end: number) => ({ fromMonth: end - 11, toMonth: end });
        // The events' part comes from the index (kept until the data changes); rooms and visits are read each time.
        const lastTwelveMonths = JSON.parse(
          await service.answer(`governance events ${code}`, () =>
            JSON.stringify(
              Object.fromEntries(
                RISK_CATEGORIES.map((category) => {
                  const count = (window: { fromMonth: number; toMonth: number }) => {
                    return countEvents(county.index, service.query(county, { categories: [category], ...window }));
                  };
                  return [
                    category,
                    { count: count(twelve(county.lastMonth)), previous: count(twelve(county.lastMonth - 12)) },
                  ];
                }),
              ),
            ),
          ),
        ) as RiskGovernance['lastTwelveMonths'];
        return {
          mediation: { rooms: rooms.rows[0]!.n, ...REPORTED.mediation, source: 'report' },
          petitions: { ...REPORTED.petitions, source: 'report' },
          backpack: {
            visits: visits.visits,
            businessHandled: visits.businessHandled,
            helpRequests: visits.helpRequests,
            unregisteredResolved: visits.unregisteredResolved,
            source: 'data',
          },
          lastTwelveMonths,
        };
      },
    }),
  ];
}
