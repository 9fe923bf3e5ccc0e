/** The shared input schemas: real calendar values in range, free text without control characters. */
import { describe, expect, it } from 'vitest';
import { DateSchema, InstantSchema, PeriodSchema, ScoresSchema, textSchema } from '../../domain/schemas';

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: unknown) => schema.safeParse(value).success;
const message = (schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) =>
  schema.safeParse(value).error?.issues.map((i) => i.message).join('; ');

describe('DateSchema', () => {
  it.each([
    ['2026-12-02', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2031-02-30', false],
    ['2026-04-31', false],
    ['0000-01-01', false],
    ['1949-12-31', false],
    ['1950-01-01', true],
    ['2100-12-31', true],
    ['2101-01-01', false],
    ['2026-1-02', false],
    ['2026-12-02T00:00', false],
  ])('%s → %s', (value, valid) => {
    expect(ok(DateSchema, value)).toBe(valid);
  });

  it('says why', () => {
    expect(message(DateSchema, '2031-02-30')).toBe('2031-02-30 is not a day of the calendar');
    expect(message(DateSchema, '0000-01-01')).toBe('the year must be between 1950 and 2100');
    expect(message(DateSchema, 'soon')).toBe('expected YYYY-MM-DD');
  });
});

describe('PeriodSchema', () => {
  it.each([
    ['2026-12', true],
    ['2000-01', true],
    ['2100-12', true],
    ['1999-12', false],
    ['2101-01', false],
    ['9999-12', false],
    ['0000-01', false],
    ['2026-13', false],
    ['2026-00', false],
  ])('%s → %s', (value, valid) => {
    expect(ok(PeriodSchema, value)).toBe(valid);
  });
});

describe('InstantSchema', () => {
  it.each([
    ['2026-12-03T17:00:00+07:00', true],
    ['2026-12-03T17:00+07:00', true],
    ['2026-12-03T10:00:00.123Z', true],
    ['2026-12-03T23:59:59-14:00', true],
    ['2031-13-45T99:99+07:00', false],
    ['2031-02-31T17:00:00+07:00', false],
    ['2026-12-03T24:00:00+07:00', false],
    ['2026-12-03T17:60:00+07:00', false],
    ['2026-12-03T17:00:60+07:00', false],
    ['2026-12-03T17:00:00+15:00', false],
    ['2026-12-03T17:00:00', false],
    ['0000-01-01T00:00:00Z', false],
    ['2100-12-31T23:00:00-05:00', false],
    ['1999-12-31T23:00:00Z', false],
  ])('%s → %s', (value, valid) => {
    expect(ok(InstantSchema, value)).toBe(valid);
  });

  it('says why', () => {
    expect(message(InstantSchema, '2031-02-31T17:00:00+07:00')).toBe('2031-02-31 is not a day of the calendar');
    expect(message(InstantSchema, '2026-12-03T24:00:00+07:00')).toBe('24:00:00 is not a time of day');
  });
});

describe('textSchema', () => {
  const line = textSchema(10);
  const note = textSchema(10, { min: 0, multiline: true });
  it.each([
    [line, 'Rà soát', true],
    [line, '  Rà soát  ', true],
    [line, '', false],
    [line, '   ', false],
    [line, 'a\u0000b', false],
    [line, 'a\nb', false],
    [line, 'a\tb', false],
    [line, 'a\u007fb', false],
    [line, 'a\u0085b', false],
    [line, 'x'.repeat(11), false],
    [note, '', true],
    [note, 'a\nb\tc\r\nd', true],
    [note, 'a\u0000b', false],
    [note, 'a\u001bb', false],
    [note, '\uD800', false],
    [note, 'x\uDC00', false],
    [note, '😀', true],
  ])('%#: %j', (schema, value, valid) => {
    expect(ok(schema, value)).toBe(valid);
  });

  it('trims before it measures, and names the rule it broke', () => {
    expect(line.parse('  ab  ')).toBe('ab');
    expect(message(line, 'a\u0000')).toBe('control characters are not allowed');
    expect(message(note, 'a\u0000')).toBe('control characters other than tab and newline are not allowed');
    expect(message(note, '\uD800')).toBe('not valid Unicode text');
  });
});

describe('ScoresSchema', () => {
  it.each([
    [{ discipline: 18, tasks: 62, bonus: 5 }, true],
    [{ 'tasks\u0000': 1 }, false],
    [{ '': 1 }, false],
    [{ tasks: 1e9 }, false],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 1])), false],
  ])('%#', (value, valid) => {
    expect(ok(ScoresSchema, value)).toBe(valid);
  });
});
