/**
 * The patterns the OpenAPI document gives periods, days, instants, free text and score keys say
 * what the zod schemas accept: each value below is accepted by both or refused by both.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DateSchema, InstantSchema, PeriodSchema, ScoresSchema, textSchema } from '../../domain/schemas';

const patternOf = (schema: z.ZodType): RegExp => {
  const meta = schema.meta() as { pattern?: string } | undefined;
  if (!meta?.pattern) throw new Error('no pattern in the schema’s metadata');
  return new RegExp(meta.pattern, 'u');
};

const agree = (schema: z.ZodType, values: string[]) => {
  const pattern = patternOf(schema);
  for (const value of values) expect(pattern.test(value), JSON.stringify(value)).toBe(schema.safeParse(value).success);
};

describe('the document’s patterns agree with validation', () => {
  it('periods', () =>
    agree(PeriodSchema, ['2026-12', '2000-01', '2100-12', '1999-12', '2101-01', '2026-00', '2026-13', '26-12', 'x']));

  it('days', () =>
    agree(DateSchema, [
      '2026-12-31',
      '1950-01-01',
      '2100-12-31',
      '1949-12-31',
      '2101-01-01',
      '2024-02-29',
      '2000-02-29',
      '1952-02-29',
      '2023-02-29',
      '2100-02-29',
      '1900-02-29',
      '2026-04-30',
      '2026-04-31',
      '2026-02-30',
      '2026-01-00',
      '2026-1-01',
    ]));

  it('instants', () =>
    agree(InstantSchema, [
      '2026-12-03T17:00:00+07:00',
      '2026-12-03T17:00+07:00',
      '2026-12-03T17:00:00.123Z',
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2026-12-03T24:00:00Z',
      '2026-12-03T17:60:00Z',
      '2026-12-03T17:00:60Z',
      '2026-12-03T17:00:00+14:00',
      '2026-12-03T17:00:00+15:00',
      '2026-12-03T17:00:00',
      '1999-12-31T12:00:00Z',
      '2101-01-01T12:00:00Z',
    ]));

  it('free text, one line and many', () => {
    const values = ['Rà soát hồ sơ', ' a ', '', '   ', 'a\nb', 'a\tb', 'a\rb', 'a\u0000b', 'a\u0085b', 'a\u007fb'];
    agree(textSchema(100), values);
    agree(textSchema(100, { multiline: true }), values);
    agree(textSchema(100, { min: 0, multiline: true }), values);
  });

  it('score keys', () => {
    const meta = ScoresSchema.meta() as { propertyNames: { pattern: string } };
    const key = new RegExp(meta.propertyNames.pattern, 'u');
    for (const k of ['discipline', 'tasks_2', 'a-b', '2tasks', '', 'a b', 'x'.repeat(51)])
      expect(key.test(k), k).toBe(ScoresSchema.safeParse({ [k]: 1 }).success);
  });
});
