import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ROLES } from '../auth/roles.js';
import { AppError } from '../http/errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import {
  ADMINISTRATIVE_CLASSES,
  applyRoadClassChanges,
  checkRoadClassMapping,
  describeRoadClassMapping,
  readRoadClassMapping,
  TECHNICAL_GRADES,
  writeRoadClassMapping,
} from './import/road-classes.js';

const roadClass = z.enum(['county', 'township', 'village']);
const grade = z.enum(TECHNICAL_GRADES as [string, ...string[]]);
const mappingSchema = z.object({
  administrative: z.record(z.enum(ADMINISTRATIVE_CLASSES as [string, ...string[]]), z.object({ roadClass, grade })),
  technical: z.record(grade, z.object({ roadClass, designSpeedKmh: z.number() })),
});
const roadClassesSchema = z.object({
  county: z.string(),
  /** false: the built-in mapping (the county has none of its own). */
  own: z.boolean(),
  mapping: mappingSchema,
  description: z.string(),
  edgesChanged: z.number().int().optional(),
});

/** A county's road class mapping (行政等级/技术等级 → road class and design speed): read it, and change it (admins). */
export function roadClassRoutes(
  ctx: Pick<AppContext, 'database' | 'onDataChanged'>,
  requireCounty: (code: string) => Promise<void>,
): AnyRoute[] {
  const countyCode = z.string().regex(/^\d{6}$/, '县级区划代码是 6 位数字（a county code has 6 digits）');
  return [
    defineRoute({
      method: 'get',
      path: '/api/counties/:code/road-classes',
      summary: "The county's mapping from administrative class and technical grade to road class and design speed",
      tags: ['county'],
      access: ROLES,
      params: z.object({ code: countyCode }),
      response: { description: 'The mapping.', schema: roadClassesSchema },
      handler: async ({ params }) => {
        await requireCounty(params.code);
        const { mapping, own } = await readRoadClassMapping(ctx.database.db, params.code);
        return { county: params.code, own, mapping, description: describeRoadClassMapping(mapping) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/counties/:code/road-classes',
      summary: "Change the county's road class mapping (whole, or KEY=VALUE changes) and re-cost its roads",
      tags: ['county'],
      access: ['admin'],
      params: z.object({ code: countyCode }),
      body: z
        .object({
          mapping: z.unknown().optional().describe('The whole mapping, as GET returns it'),
          set: z
            .array(z.string().max(40))
            .max(50)
            .optional()
            .describe('Changes such as "G=class1" (usual grade), "Y=county" (road class), "class3=35" (design speed)'),
        })
        .strict(),
      response: { description: 'The new mapping and how many road edges it re-costed.', schema: roadClassesSchema },
      handler: async ({ params, body, user, audit }) => {
        await requireCounty(params.code);
        if (body.mapping === undefined && body.set === undefined) {
          throw AppError.badRequest('请给出 mapping 或 set（give mapping or set）');
        }
        const before = await readRoadClassMapping(ctx.database.db, params.code);
        let mapping = body.mapping === undefined ? before.mapping : checkRoadClassMapping(body.mapping);
        if (body.set) mapping = applyRoadClassChanges(mapping, body.set);
        const { edgesChanged } = await writeRoadClassMapping(ctx.database.db, params.code, mapping, user!.username);
        ctx.onDataChanged();
        audit({ target: `county ${params.code} road classes`, before: before.mapping, after: mapping });
        return {
          county: params.code,
          own: true,
          mapping,
          description: describeRoadClassMapping(mapping),
          edgesChanged,
        };
      },
    }),
  ];
}
