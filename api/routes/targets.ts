/** A unit's targets for a month or a year and their completion: put, read, and import many units from CSV (HR). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { parse } from 'csv-parse/sync';
import { leadsUnitOrAbove } from '../../db/reports';
import type { Sql } from '../../db/sql';
import { findUnitTargets, headsUnit, putUnitTargets, unknownUnits, type TargetsWrite } from '../../db/targets';
import { unitExists } from '../../db/units';
import { targetCompletion, type UnitTarget } from '../../domain/targets';
import { isAdmin, isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden, notFound, zodDetails } from '../errors';
import { iso } from '../read-model';
import { commandErrors, json, ok } from '../route-docs';
import { Line } from '../schemas';

const errors = commandErrors('unit');

/** A month 'YYYY-MM' or a year 'YYYY'. */
const TargetPeriod = z
  .string()
  .regex(/^(20\d\d|2100)(-(0[1-9]|1[0-2]))?$/, 'expected a month YYYY-MM or a year YYYY between 2000 and 2100');
const UnitId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');
const TargetParams = z.object({ unitId: UnitId, period: TargetPeriod });

/** Measured by planned and achieved values, or given as a completion percentage: one or the other. */
const Target = z
  .object({
    name: Line(200),
    weight: z.number().positive().max(1000),
    planned: z.number().positive().max(1e12).optional(),
    achieved: z.number().min(0).max(1e12).optional(),
    completion: z.number().min(0).max(1000).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const measured = t.planned !== undefined || t.achieved !== undefined;
    if (measured && t.completion !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['completion'],
        message: 'give planned and achieved, or completion, not both',
      });
    else if (!measured && t.completion === undefined)
      ctx.addIssue({ code: 'custom', path: ['completion'], message: 'give planned and achieved, or completion' });
    else if (measured && t.planned === undefined)
      ctx.addIssue({ code: 'custom', path: ['planned'], message: 'planned is required with achieved' });
    else if (measured && t.achieved === undefined)
      ctx.addIssue({ code: 'custom', path: ['achieved'], message: 'achieved is required with planned' });
  })
  .openapi('UnitTarget');
const TargetsBody = z
  .object({ targets: z.array(Target).max(100) })
  .strict()
  .openapi('UnitTargets');
const ImportBody = z
  .object({ csv: z.string().min(1).max(1_000_000) })
  .strict()
  .openapi('UnitTargetsImport');
/** The CSV's columns; planned and achieved, or completion, are filled on each row. */
const CSV_COLUMNS = ['unitId', 'period', 'name', 'weight', 'planned', 'achieved', 'completion'] as const;
const MAX_IMPORT_ROWS = 20_000;

const asTarget = (t: z.infer<typeof Target>): UnitTarget =>
  t.completion !== undefined
    ? { name: t.name, weight: t.weight, completion: t.completion }
    : { name: t.name, weight: t.weight, planned: t.planned!, achieved: t.achieved! };

async function mayRead(sql: Sql, caller: Caller, unitId: string): Promise<boolean> {
  return isHr(caller) || isAdmin(caller) || (await leadsUnitOrAbove(sql, unitId, caller.id));
}

/** Rows of the CSV as targets grouped by unit and period; a bad row is a 400 naming its row and column. */
function parseImport(csv: string): TargetsWrite[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, to: MAX_IMPORT_ROWS + 1 });
  } catch (e) {
    throw badRequest(`The CSV cannot be read: ${(e as Error).message}.`, [{ field: 'csv', rule: 'csv' }]);
  }
  if (records.length > MAX_IMPORT_ROWS)
    throw badRequest(`At most ${MAX_IMPORT_ROWS} rows.`, [{ field: 'csv', rule: 'too_big', max: MAX_IMPORT_ROWS }]);
  const missing = ['unitId', 'period', 'name', 'weight'].filter((c) => records.length > 0 && !(c in records[0]));
  if (records.length === 0 || missing.length > 0)
    throw badRequest(`The CSV needs a header row with ${CSV_COLUMNS.join(',')} and at least one row.`, [
      { field: 'csv', rule: 'columns', missing },
    ]);
  const groups = new Map<string, TargetsWrite>();
  const problems: { field: string; rule: string; message: string }[] = [];
  records.forEach((r, i) => {
    const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
    const keys = TargetParams.safeParse({ unitId: r.unitId, period: r.period });
    const target = Target.safeParse({
      name: r.name,
      weight: num(r.weight),
      planned: num(r.planned),
      achieved: num(r.achieved),
      completion: num(r.completion),
    });
    // Row 1 is the header, so the first target is on line 2 of the file.
    const at = (d: { field: string; rule: string; message: string }) => ({
      ...d,
      field: `csv[line ${i + 2}].${d.field}`,
    });
    if (!keys.success) problems.push(...zodDetails(keys.error).map(at));
    if (!target.success) problems.push(...zodDetails(target.error).map(at));
    if (!keys.success || !target.success) return;
    const key = `${keys.data.unitId}\u0000${keys.data.period}`;
    const group = groups.get(key) ?? { ...keys.data, targets: [], completion: null };
    group.targets.push(asTarget(target.data));
    groups.set(key, group);
  });
  if (problems.length > 0) throw badRequest('Invalid input: some rows of the CSV are wrong.', problems.slice(0, 50));
  return [...groups.values()].map((g) => ({ ...g, completion: targetCompletion(g.targets) }));
}

export function targetRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const view = async (unitId: string, period: string) => {
    const row = await findUnitTargets(sql, unitId, period);
    return row
      ? { ...row, updatedAt: iso(row.updatedAt) }
      : { unitId, period, targets: [], completion: null, updatedBy: null, updatedAt: null };
  };
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/units/targets/import',
        operationId: 'importUnitTargets',
        summary: `Import many units' targets from CSV (HR): columns ${CSV_COLUMNS.join(',')}; each unit and period given replaces its targets`,
        request: json(ImportBody),
        responses: { 200: ok('How many units and periods were given and how many changed'), ...errors },
      }),
      async (c) => {
        const writes = parseImport(c.req.valid('json').csv);
        const unknown = await unknownUnits(sql, [...new Set(writes.map((w) => w.unitId))]);
        if (unknown.length > 0)
          throw badRequest(`The directory holds no unit ${unknown.slice(0, 10).join(', ')}.`, [
            { field: 'csv.unitId', rule: 'known-unit', unknown: unknown.slice(0, 50) },
          ]);
        const changed = await putUnitTargets(sql, writes, c.get('caller').id);
        return c.json({ given: writes.length, changed }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/units/{unitId}/targets/{period}',
        operationId: 'putUnitTargets',
        summary: "Set a unit's targets for a month or a year, with what was achieved (HR or the unit's head)",
        request: { params: TargetParams, ...json(TargetsBody) },
        responses: { 200: ok('The targets with their completion share'), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const caller = c.get('caller');
        if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
        if (!isHr(caller) && !isAdmin(caller) && !(await headsUnit(sql, unitId, caller.id)))
          throw forbidden("Only HR and the unit's head set its targets.");
        const targets = c.req.valid('json').targets.map(asTarget);
        await putUnitTargets(sql, [{ unitId, period, targets, completion: targetCompletion(targets) }], caller.id);
        return c.json(await view(unitId, period), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/units/{unitId}/targets/{period}',
        operationId: 'getUnitTargets',
        summary: "A unit's targets for a month or a year and their completion share (its overseers and HR)",
        request: { params: TargetParams },
        responses: { 200: ok('The targets'), 400: errors[400], 403: errors[403], 404: errors[404] },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
        if (!(await mayRead(sql, c.get('caller'), unitId)))
          throw forbidden(
            "Only the unit's head and deputies, those of the units above it, HR and admins read its targets.",
          );
        return c.json(await view(unitId, period), 200);
      },
    );
}
