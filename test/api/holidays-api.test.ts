/**
 * `GET /v1/holidays/suggested` on the real servers: an admin reads next year's lunar holidays,
 * confirms them with `PUT /v1/holidays`, and reads them back as confirmed; bad years are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestedHolidays } from '../../domain/holidays';
import { startStack, type Stack } from '../support/stack';

describe('suggested holidays', () => {
  let s: Stack;
  const year = new Date().getUTCFullYear() + 1;
  const stored = async () => (await s.sql<{ n: number }[]>`select count(*)::int as n from holidays`)[0].n;

  beforeAll(async () => {
    s = await startStack('holidays-api');
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("answers the year's suggestion, none confirmed yet", async () => {
    const res = await s.call('admin', 'GET', `/v1/holidays/suggested?year=${year}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      year,
      holidays: suggestedHolidays(year).map((h) => ({ ...h, confirmed: false })),
    });
    expect(res.body.holidays.filter((h: { name: string }) => h.name.startsWith('Tết Nguyên đán'))).toHaveLength(5);
  });

  it('shows the days an admin confirmed as confirmed', async () => {
    const suggestion = suggestedHolidays(year);
    const put = await s.call('admin', 'PUT', '/v1/holidays', {
      holidays: suggestion.map(({ date, name }) => ({ date, name })),
    });
    expect(put.status).toBe(200);
    const res = await s.call('admin', 'GET', `/v1/holidays/suggested?year=${year}`);
    expect(res.body.holidays.map((h: { confirmed: boolean }) => h.confirmed)).toEqual(suggestion.map(() => true));
  });

  it.each([
    ['a year before 2000', '?year=1999', 'year'],
    ['a year after 2100', '?year=2101', 'year'],
    ['a word', '?year=next', 'year'],
    ['no year', '', 'year'],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_what, query, field) => {
    const before = await stored();
    const res = await s.call('admin', 'GET', `/v1/holidays/suggested${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await stored()).toBe(before);
  });

  it('refuses anyone but an admin', async () => {
    const res = await s.call('minh', 'GET', `/v1/holidays/suggested?year=${year}`);
    expect(res.status).toBe(403);
  });
});
