/** The shared input schemas: real calendar values in range, free text without control characters. */
import { describe, expect, it } from 'vitest';
import {
  DateSchema,
  DirectorySchema,
  EngineIdSchema,
  GradeSchema,
  InstantSchema,
  PeriodSchema,
  RoleSchema,
  ScoresSchema,
  instantProblem,
  isCalendarDate,
  textSchema,
} from '../../domain/schemas';

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;
const message = (
  schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
) =>
  schema
    .safeParse(value)
    .error?.issues.map((i) => i.message)
    .join('; ');

describe('DateSchema', () => {
  it.each([
    ['2026-12-02', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-02-30', false],
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
    expect(message(DateSchema, '2025-02-30')).toBe('2025-02-30 is not a day of the calendar');
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
    ['2025-13-45T99:99+07:00', false],
    ['2025-02-31T17:00:00+07:00', false],
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
    expect(message(InstantSchema, '2025-02-31T17:00:00+07:00')).toBe('2025-02-31 is not a day of the calendar');
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

const schemas: Record<string, Parameters<typeof message>[0]> = {
  'engine id': EngineIdSchema,
  period: PeriodSchema,
  date: DateSchema,
  instant: InstantSchema,
  scores: ScoresSchema,
};

describe('anchored patterns: nothing before or after the value', () => {
  it.each<[string, unknown, boolean]>([
    ['engine id', 'a.b_c:d|e,f-9', true],
    ['engine id', 'a b', false],
    ['engine id', 'x/', false],
    ['engine id', '/x', false],
    ['engine id', 'x'.repeat(300), true],
    ['engine id', 'x'.repeat(301), false],
    ['period', 'x2026-01', false],
    ['period', '2026-011', false],
    ['date', 'x2026-01-01', false],
    ['date', '2026-01-011', false],
    ['instant', 'x2026-12-03T17:00:00Z', false],
    ['instant', '2026-12-03T17:00:00Zjunk', false],
    ['scores', { _tasks: 1 }, false],
    ['scores', { 'tasks!': 1 }, false],
    ['scores', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 1])), true],
  ])('%s %j → %s', (kind, value, valid) => {
    expect(ok(schemas[kind], value)).toBe(valid);
  });

  it.each<[string, unknown, string]>([
    ['engine id', 'a b', 'letters, digits and . _ : | , -'],
    ['period', 'x1999-01', 'expected YYYY-MM'],
    ['period', '1999-12', 'the year must be between 2000 and 2100'],
    ['date', 'x2026-01-01', 'expected YYYY-MM-DD'],
    ['instant', 'soon', 'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00'],
    ['instant', '2026-13-01T10:00:00Z', '2026-13-01 is not a day of the calendar'],
    ['instant', '2026-03-00T10:00:00Z', '2026-03-00 is not a day of the calendar'],
    ['instant', '2026-12-03T17:60:00+07:00', '17:60:00 is not a time of day'],
    ['instant', '2026-12-03T17:00:60+07:00', '17:00:60 is not a time of day'],
    ['instant', '2026-12-03T24:00+07:00', '24:00:00 is not a time of day'],
    ['instant', '2026-12-03T17:00:00+07:60', 'the offset must be between -14:00 and +14:00'],
    ['scores', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 1])), 'at most 50 criteria'],
  ])('%s %j says why', (kind, value, expected) => {
    expect(message(schemas[kind], value)).toBe(expected);
  });

  it('names the rule a criterion key breaks', () => {
    expect(JSON.stringify(ScoresSchema.safeParse({ _tasks: 1 }).error?.issues)).toContain(
      'a criterion key: a letter, then letters, digits, \\"_\\" or \\"-\\"',
    );
  });

  it('accepts an offset of 59 minutes', () => {
    expect(ok(InstantSchema, '2026-12-03T17:00:00+05:59')).toBe(true);
  });
});

describe('instantProblem and isCalendarDate, as the API calls them', () => {
  it.each<[string, string | null]>([
    ['2026-12-03T17:00:00+07:00', null],
    ['2026-12-03', 'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00'],
    ['2025-02-29T08:00Z', '2025-02-29 is not a day of the calendar'],
  ])('%s → %s', (value, problem) => {
    expect(instantProblem(value)).toBe(problem);
  });

  it.each<[number, number, number, boolean]>([
    [2024, 2, 29, true],
    [2025, 2, 29, false],
    [2026, 13, 1, false],
    [2026, 3, 0, false],
    [2026, 12, 31, true],
    [50, 1, 1, true],
  ])('%i-%i-%i → %s', (y, m, d, exists) => {
    expect(isCalendarDate(y, m, d)).toBe(exists);
  });
});

describe('vocabulary and the directory shape', () => {
  it.each(['A', 'B', 'C', 'D'])('grade %s', (g) => expect(GradeSchema.parse(g)).toBe(g));
  it.each(['head', 'deputy', 'staff'])('role %s', (r) => expect(RoleSchema.parse(r)).toBe(r));

  const dir = {
    units: [
      { id: 'city', name: 'Thành phố', parentId: null },
      { id: 'ward-1', name: 'Phường 1', parentId: 'city', active: false },
    ],
    people: [
      { id: 'c-head', fullName: 'Nguyễn Văn A', unitId: 'city', role: 'head' },
      { id: 'w-s1', fullName: 'Trần Thị B', unitId: 'ward-1', role: 'staff', email: null, reviewerId: 'c-head' },
    ],
  };

  it('parses a directory as given', () => {
    expect(DirectorySchema.parse(dir)).toEqual(dir);
  });

  it.each<[string, unknown]>([
    ['a blank unit id', { ...dir, units: [{ id: '', name: 'x', parentId: null }] }],
    ['a blank unit name', { ...dir, units: [{ id: 'u', name: '', parentId: null }] }],
    ['a blank parent', { ...dir, units: [{ id: 'u', name: 'x', parentId: '' }] }],
    ['a blank reviewer', { ...dir, people: [{ ...dir.people[1], reviewerId: '' }] }],
    ['a person without a role', { ...dir, people: [{ id: 'p', fullName: 'P', unitId: 'city' }] }],
  ])('refuses %s', (_name, value) => {
    expect(ok(DirectorySchema, value)).toBe(false);
  });
});

describe('textSchema messages', () => {
  it('reports a control character as a custom rule, the rule the API answers with', () => {
    expect(
      textSchema(10)
        .safeParse('a\u0000b')
        .error?.issues.map((i) => i.code),
    ).toEqual(['custom']);
  });

  it('says what is wrong with the length', () => {
    expect(message(textSchema(10), '   ')).toBe('must not be empty');
    expect(message(textSchema(10), 'x'.repeat(11))).toBe('at most 10 characters');
  });
});

describe('the issues a date or an instant raises', () => {
  const issues = (schema: typeof DateSchema | typeof InstantSchema, value: string) =>
    schema.safeParse(value).error?.issues.map((i) => ({ code: i.code, message: i.message }));

  it('names an impossible day or year as a custom issue, after the shape passed', () => {
    expect(issues(DateSchema, '2025-02-30')).toEqual([
      { code: 'custom', message: '2025-02-30 is not a day of the calendar' },
    ]);
    expect(issues(DateSchema, '2101-01-01')).toEqual([
      { code: 'custom', message: 'the year must be between 1950 and 2100' },
    ]);
    expect(issues(InstantSchema, '2025-02-31T17:00:00+07:00')).toEqual([
      { code: 'custom', message: '2025-02-31 is not a day of the calendar' },
    ]);
  });

  it('reads an instant only from its first character to its last', () => {
    const shape = 'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00';
    expect(issues(InstantSchema, 'x2026-12-03T17:00:00Z')).toEqual([{ code: 'invalid_format', message: shape }]);
    expect(issues(InstantSchema, '2026-12-03T17:00:00Zx')).toEqual([{ code: 'invalid_format', message: shape }]);
  });
});
