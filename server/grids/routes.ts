import { z } from 'zod';
import {
  createPlanRequestSchema,
  editResultSchema,
  planComparisonSchema,
  planDetailSchema,
  planEditSchema,
  planListItemSchema,
  revisionInfoSchema,
  updatePlanRequestSchema,
  type GridInfo,
} from '../../contracts/grids.js';
import type { AppContext } from '../context.js';
import { resolveCounty } from '../county/resolve.js';
import { sendTable } from '../http/download.js';
import { idText } from '../http/params.js';
import { defineRoute, type AnyRoute, type RequestUser, type Role } from '../http/route.js';
import {
  attachmentHeader,
  CSV_CONTENT_TYPE,
  sheet,
  toCsv,
  XLSX_CONTENT_TYPE,
  type ExportColumn,
} from '../lib/table-export.js';
import { gridEditTrail } from './edit-trail.js';
import { listRevisions } from './history.js';
import { comparePlans, gridsGeoJson, householdGrids, unitsGeoJson } from './read-outs.js';

const READERS: Role[] = ['admin', 'planner', 'leader'];
const PLANNERS: Role[] = ['admin', 'planner'];
/** Household-level lists: only those who edit the grids. */
const HOUSEHOLD_READERS: Role[] = ['admin', 'planner'];
const GEOJSON = 'application/geo+json';

/** Plan-wide changes (create, rename, activate, targets) are for planners of the whole county. */
function wholeCountyOnly(user: RequestUser): string | null {
  return user.role === 'planner' && user.townships !== null
    ? '您只负责部分乡镇，不能新建或修改整个方案（planners of some townships cannot create or change whole plans）'
    : null;
}

/** The townships a user may edit grids in and read households of (null: all). */
const editableTownships = (user: RequestUser | null) => (user?.role === 'planner' ? user.townships : null);

const idParam = z.object({ id: idText() });
const townshipCode = z.string().regex(/^\d{9}$/, '乡镇代码为 9 位数字（a township code has 9 digits）');

const gridColumns: ExportColumn<GridInfo & { townshipName: string }>[] = [
  { header: '乡镇', value: (g) => g.townshipName },
  { header: '网格编号', value: (g) => g.id },
  { header: '网格名称', value: (g) => g.name },
  { header: '户数', value: (g) => g.households },
  { header: '目标户数', value: (g) => Math.round(g.targetHouseholds) },
  { header: '偏差', value: (g) => `${(g.deviationRatio * 100).toFixed(1)}%` },
  { header: '单元数', value: (g) => g.unitCount },
  { header: '村（社区）数', value: (g) => g.villageCodes.length },
  { header: '最远车程（分钟）', value: (g) => g.maxDriveMinutes },
  { header: '连片', value: (g) => (g.contiguous ? '是' : '否') },
  { header: '锁定', value: (g) => (g.locked ? '是' : '否') },
  { header: '网格员', value: (g) => g.workerName ?? '' },
  { header: '电话', value: (g) => g.workerPhone ?? '' },
  { header: '评分', value: (g) => g.score ?? '' },
  { header: '职责清单', value: (g) => g.dutyList },
  { header: '负面清单', value: (g) => g.negativeList },
  { header: '免责清单', value: (g) => g.exemptionList },
];

/** Grid planning: plans, their grids and units on the map, edits with undo/redo, comparison and exports. */
export function gridRoutes(ctx: Pick<AppContext, 'database' | 'grids'>): AnyRoute[] {
  const db = ctx.database.db;
  const grids = ctx.grids;
  const fileName = (plan: { name: string; revision: number }, ext: string) =>
    `网格方案-${plan.name}-第${plan.revision}版.${ext}`;
  return [
    defineRoute({
      method: 'get',
      path: '/api/grids/plans',
      summary: 'Grid plans of a county, newest first',
      tags: ['grids'],
      access: READERS,
      query: z.object({
        county: z
          .string()
          .regex(/^\d{6}$/)
          .optional(),
      }),
      response: { description: 'Plans with their headline figures.', schema: z.array(planListItemSchema) },
      handler: async ({ query }) => grids.listPlans(query.county ?? (await resolveCounty(db, undefined))),
    }),
    defineRoute({
      method: 'post',
      path: '/api/grids/plans',
      summary: 'Create a plan: every township partitioned automatically, or a copy of another plan',
      tags: ['grids'],
      access: PLANNERS,
      refuse: wholeCountyOnly,
      body: createPlanRequestSchema,
      response: { status: 201, description: 'The new plan.', schema: planDetailSchema },
      handler: async ({ body, res, user, audit }) => {
        const plan = await grids.createPlan({
          countyCode: await resolveCounty(db, body.countyCode),
          name: body.name,
          ...(body.seed === undefined ? {} : { seed: body.seed }),
          ...(body.targets === undefined ? {} : { targets: body.targets }),
          ...(body.copyOf === undefined ? {} : { copyOf: body.copyOf }),
          author: user!.username,
        });
        audit({
          target: `grid plan ${plan.id}`,
          after: { ...body, id: plan.id, countyCode: plan.countyCode, grids: plan.grids.length },
        });
        res.status(201);
        return plan;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/compare',
      summary: 'Which households are in another grid in plan b than in plan a',
      tags: ['grids'],
      access: READERS,
      query: z.object({
        a: idText(),
        b: idText(),
      }),
      response: { description: 'Households moved, per township and unit.', schema: planComparisonSchema },
      handler: ({ query }) => comparePlans(db, query.a, query.b),
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id',
      summary: 'A plan with every grid, township summaries and undo/redo',
      tags: ['grids'],
      access: READERS,
      params: idParam,
      response: { description: 'The plan.', schema: planDetailSchema },
      handler: ({ params }) => grids.detail(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/grids/plans/:id',
      summary:
        'Rename a plan, change its status (one active plan per county) or its household targets (figures recomputed)',
      tags: ['grids'],
      access: PLANNERS,
      refuse: wholeCountyOnly,
      params: idParam,
      body: updatePlanRequestSchema,
      response: { description: 'The plan.', schema: planDetailSchema },
      handler: ({ params, body, user }) => {
        return grids.updatePlan(params.id, body, user!.username);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/grids/plans/:id/edits',
      summary: 'One edit (move, split, merge, lock, repartition, complete, attributes, undo, redo) based on a revision',
      tags: ['grids'],
      access: PLANNERS,
      params: idParam,
      body: planEditSchema,
      response: {
        description: 'The new revision and what it changed; 409 with the current plan when stale.',
        schema: editResultSchema,
      },
      handler: async ({ params, body, user, audit }) => {
        audit({ target: `grid plan ${params.id}` });
        const { gridsBefore, ...result } = await grids.edit(params.id, body, user!.username, editableTownships(user));
        // The grids changed, from and to; the revision log also holds every unit moved.
        const trail = gridEditTrail(gridsBefore, result.grids);
        audit({
          before: { revision: result.revision - 1, grids: trail.before },
          after: { revision: result.revision, summary: result.summary, grids: trail.after },
          details: body,
        });
        return result;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/revisions',
      summary: 'The plan history, newest first',
      tags: ['grids'],
      access: READERS,
      params: idParam,
      response: { description: 'Revisions.', schema: z.array(revisionInfoSchema) },
      handler: async ({ params }) => {
        await grids.planCounty(params.id);
        return listRevisions(db, params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/units.geojson',
      summary: 'The units of one township with their grid',
      tags: ['grids'],
      access: READERS,
      params: idParam,
      query: z.object({ township: townshipCode }),
      response: { description: 'GeoJSON FeatureCollection of unit polygons.', contentType: GEOJSON },
      handler: async ({ params, query, res }) => {
        await grids.model(await grids.planCounty(params.id));
        res.type(GEOJSON).send(await unitsGeoJson(db, params.id, query.township));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/grids.geojson',
      summary: 'Grid shapes of a plan (one township or all)',
      tags: ['grids'],
      access: READERS,
      params: idParam,
      query: z.object({ township: townshipCode.optional() }),
      response: { description: 'GeoJSON FeatureCollection of grid polygons.', contentType: GEOJSON },
      handler: async ({ params, query, res }) => {
        await grids.planCounty(params.id);
        res
          .type(GEOJSON)
          .send(await gridsGeoJson(db, params.id, query.township ? { townshipCode: query.township } : {}));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/export.geojson',
      summary: 'The plan as GeoJSON: every grid with its attributes and figures',
      tags: ['grids'],
      access: READERS,
      params: idParam,
      response: { description: 'A GeoJSON file.', contentType: GEOJSON },
      handler: async ({ params, res }) => {
        const name = fileName(await grids.planHead(params.id), 'geojson');
        res.set('Content-Disposition', attachmentHeader(name));
        res.type(GEOJSON).send(await gridsGeoJson(db, params.id, { full: true }));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/export.:format',
      summary: 'The plan grids for Excel (CSV with BOM, or XLSX)',
      tags: ['grids'],
      access: READERS,
      params: idParam.extend({ format: z.enum(['csv', 'xlsx']) }),
      response: { description: 'A CSV or XLSX file.', contentType: `${CSV_CONTENT_TYPE} | ${XLSX_CONTENT_TYPE}` },
      handler: async ({ params, res }) => {
        const plan = await grids.detail(params.id);
        const names = new Map(plan.townships.map((t) => [t.code, t.name]));
        const rows = plan.grids.map((g) => ({
          ...g,
          townshipName: names.get(g.townshipCode) ?? '',
        }));
        sendTable(res, fileName(plan, params.format), params.format, {
          csv: () => toCsv(gridColumns, rows),
          sheets: () => [sheet({ name: '网格', columns: gridColumns, rows })],
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/grids/plans/:id/households.csv',
      summary: 'Every household with its grid (CSV with BOM); a planner of some townships gets only theirs',
      tags: ['grids'],
      access: HOUSEHOLD_READERS,
      params: idParam,
      response: { description: 'A CSV file.', contentType: CSV_CONTENT_TYPE },
      handler: async ({ params, res, user }) => {
        const name = fileName(await grids.planHead(params.id), 'csv');
        const rows = await householdGrids(db, params.id, editableTownships(user));
        res.set('Content-Disposition', attachmentHeader(`住户-${name}`));
        res.type(CSV_CONTENT_TYPE).send(
          toCsv(
            [
              { header: '住户编码', value: (r) => r.household },
              { header: '乡镇', value: (r) => r.township },
              { header: '村（社区）', value: (r) => r.village },
              { header: '网格编号', value: (r) => r.gridId ?? '' },
              { header: '网格', value: (r) => r.grid ?? '未分配' },
            ],
            rows,
          ),
        );
      },
    }),
  ];
}
