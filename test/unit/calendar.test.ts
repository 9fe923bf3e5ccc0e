import { describe, expect, it } from 'vitest';
import {
  FIXED_HOLIDAYS,
  addDays,
  addWorkingDays,
  atLocal,
  daysFrom,
  defaultDeadlines,
  extensionAllowed,
  fromMs,
  isWorkingDay,
  localDate,
  nextPeriod,
  nthWorkingDay,
  prevPeriod,
  reminderTimes,
  reviewFloorAfterExtension,
  selfAssessmentOpensAt,
  toMs,
  workingDaysAfter,
  workingDaysIn,
  type Deadlines,
} from '../../domain/calendar';
import { rulesWith } from '../../domain/config-validation';

const TET_2026 = ['1998-02-16', '1998-02-17', '1998-02-18', '1998-02-19', '1998-02-20'];

describe('FIXED_HOLIDAYS', () => {
  it('ships the four fixed-date holidays', () => {
    expect(FIXED_HOLIDAYS.map((h) => h.monthDay)).toEqual(['01-01', '04-30', '05-01', '09-02']);
  });
});

describe('isWorkingDay', () => {
  it.each<[string, string[], boolean]>([
    ['1998-12-04', [], true], // Friday
    ['1998-12-05', [], false], // Saturday
    ['1998-12-06', [], false], // Sunday
    ['1998-12-07', [], true], // Monday
    ['1998-04-30', [], false], // Thursday, Liberation Day
    ['1998-05-01', [], false], // Friday, Labour Day
    ['1998-09-02', [], false], // Wednesday, National Day
    ['1999-01-01', [], false], // Friday, New Year
    ['1998-12-31', [], true],
    ['1998-02-16', [], true],
    ['1998-02-16', TET_2026, false], // admin-added Tết
  ])('%s extra=%j -> %s', (date, extra, expected) => {
    expect(isWorkingDay(date, extra)).toBe(expected);
  });

  it.each(['1998-02-30', '1998-13-01', '26-01-01', '2026-1-1'])('rejects %s', (d) => {
    expect(() => isWorkingDay(d, [])).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it.each<[string, number, string[], string]>([
    ['1998-12-04', 1, [], '1998-12-07'], // Fri -> Mon across a weekend
    ['1998-12-07', -1, [], '1998-12-04'], // Mon -> Fri backwards
    ['1998-12-05', 1, [], '1998-12-07'], // from a Saturday
    ['1998-12-05', -1, [], '1998-12-04'],
    ['1998-12-05', 0, [], '1998-12-05'], // n = 0 returns the date itself
    ['1998-12-07', 5, [], '1998-12-14'],
    ['1998-04-29', 1, [], '1998-05-04'], // skips 04-30, 05-01 and the weekend
    ['1998-05-04', -1, [], '1998-04-29'],
    ['1998-12-31', 1, [], '1999-01-04'], // skips New Year (Friday) and the weekend
    ['1998-02-13', 1, TET_2026, '1998-02-23'], // skips a Tết week added by the admin
    ['1998-02-23', -1, TET_2026, '1998-02-13'],
    ['1998-08-31', 2, [], '1998-09-03'], // skips National Day
  ])('%s %s -> %s', (date, n, extra, expected) => {
    expect(addWorkingDays(date, n, extra)).toBe(expected);
  });

  it('rejects a fractional n', () => expect(() => addWorkingDays('1998-12-04', 1.5, [])).toThrow(RangeError));
});

describe('nthWorkingDay / workingDaysIn', () => {
  it.each<[string, number, string[], string]>([
    ['1998-12', 1, [], '1998-12-01'],
    ['1998-12', 3, [], '1998-12-03'],
    ['1999-01', 1, [], '1999-01-04'], // Jan 1 is a holiday Friday
    ['1999-01', 2, [], '1999-01-05'],
    ['1999-01', 4, [], '1999-01-07'],
    ['1999-01', 6, [], '1999-01-11'],
    ['1998-05', 1, [], '1998-05-04'],
    ['1998-09', 2, [], '1998-09-03'],
    ['1998-02', 11, TET_2026, '1998-02-23'],
    ['1998-12', 23, [], '1998-12-31'],
  ])('%s WD%s -> %s', (period, n, extra, expected) => {
    expect(nthWorkingDay(period, n, extra)).toBe(expected);
  });

  it.each<[string, number]>([
    ['1998-12', 0],
    ['1998-12', 24],
    ['1998-13', 1],
  ])('nthWorkingDay(%s, %s) throws', (period, n) => {
    expect(() => nthWorkingDay(period, n, [])).toThrow(RangeError);
  });

  it.each<[string, string[], number]>([
    ['1998-12', [], 23],
    ['1998-05', [], 20],
    ['1999-01', [], 20],
    ['1998-02', [], 20],
    ['1998-02', TET_2026, 15],
  ])('workingDaysIn(%s) = %s', (period, extra, n) => {
    expect(workingDaysIn(period, extra)).toBe(n);
  });
});

describe('periods', () => {
  it.each<[string, string, string]>([
    ['1998-12', '1999-01', '1998-11'],
    ['1999-01', '1999-02', '1998-12'],
    ['1998-05', '1998-06', '1998-04'],
  ])('%s: next %s, prev %s', (p, next, prev) => {
    expect(nextPeriod(p)).toBe(next);
    expect(prevPeriod(p)).toBe(prev);
  });

  it('rejects malformed periods', () => {
    expect(() => nextPeriod('1998-00')).toThrow(RangeError);
    expect(() => prevPeriod('1998/01')).toThrow(RangeError);
  });
});

describe('instants', () => {
  it.each<[string, string]>([
    ['1998-12-03T16:59:59Z', '1998-12-03'],
    ['1998-12-03T17:00:00Z', '1998-12-04'],
    ['1998-12-04T00:30:00+07:00', '1998-12-04'],
    ['1998-12-03T23:30:00-05:00', '1998-12-04'],
    ['1998-12-31T17:00:00.000Z', '1999-01-01'],
  ])('localDate(%s) = %s', (iso, date) => expect(localDate(iso)).toBe(date));

  it.each<[string, number, number | undefined, string]>([
    ['1998-12-03', 17, undefined, '1998-12-03T17:00:00+07:00'],
    ['1998-12-03', 8, 5, '1998-12-03T08:05:00+07:00'],
    ['1999-01-01', 0, 0, '1999-01-01T00:00:00+07:00'],
  ])('atLocal(%s, %s, %s) = %s', (date, h, m, iso) => expect(atLocal(date, h, m)).toBe(iso));

  it.each<[string, number, number]>([
    ['1998-12-03', 24, 0],
    ['1998-12-03', -1, 0],
    ['1998-12-03', 8, 60],
    ['1998-02-30', 8, 0],
  ])('atLocal(%s, %s, %s) throws', (date, h, m) => expect(() => atLocal(date, h, m)).toThrow(RangeError));

  it.each<[number, string]>([
    [Date.UTC(1998, 11, 3, 10), '1998-12-03T17:00:00+07:00'],
    [Date.UTC(1998, 11, 31, 17), '1999-01-01T00:00:00+07:00'],
    [Date.UTC(1998, 11, 3, 10, 0, 0, 123), '1998-12-03T17:00:00.123+07:00'],
  ])('fromMs(%s) = %s and back', (ms, iso) => {
    expect(fromMs(ms)).toBe(iso);
    expect(toMs(iso)).toBe(ms);
  });

  it.each(['1998-12-03T17:00:00', '1998-12-03', 'not a date', '1998-12-03T17:00:00+0700'])(
    'toMs rejects %s (no explicit offset or malformed)',
    (iso) => expect(() => toMs(iso)).toThrow(RangeError),
  );

  it('fromMs rejects non-finite', () => expect(() => fromMs(Number.NaN)).toThrow(RangeError));
});

describe('defaultDeadlines', () => {
  it.each<[string, string[], Deadlines]>([
    [
      '1998-12',
      [],
      {
        plan: '1998-12-03T17:00:00+07:00',
        selfAssessment: '1999-01-05T17:00:00+07:00',
        review: '1999-01-07T17:00:00+07:00',
        deliberation: '1999-01-11T17:00:00+07:00',
      },
    ],
    [
      '1998-12',
      ['1999-01-04'],
      {
        plan: '1998-12-03T17:00:00+07:00',
        selfAssessment: '1999-01-06T17:00:00+07:00',
        review: '1999-01-08T17:00:00+07:00',
        deliberation: '1999-01-12T17:00:00+07:00',
      },
    ],
    [
      '1998-04',
      [],
      {
        plan: '1998-04-03T17:00:00+07:00',
        selfAssessment: '1998-05-05T17:00:00+07:00',
        review: '1998-05-07T17:00:00+07:00',
        deliberation: '1998-05-11T17:00:00+07:00',
      },
    ],
  ])('%s extra=%j', (period, extra, expected) => {
    expect(defaultDeadlines(period, extra)).toEqual(expected);
  });

  it('follows configured working days and hour', () => {
    const rules = rulesWith({ deadlineHour: 16, defaultDueWorkingDay: { plan: 1 } });
    const d = defaultDeadlines('1998-12', [], rules);
    expect(d.plan).toBe('1998-12-01T16:00:00+07:00');
    expect(d.deliberation).toBe('1999-01-11T16:00:00+07:00');
  });
});

describe('selfAssessmentOpensAt', () => {
  it.each<[string, string[], string]>([
    ['1999-01-05T17:00:00+07:00', [], '1998-12-28T08:00:00+07:00'], // back over New Year and a weekend
    ['1998-05-05T17:00:00+07:00', [], '1998-04-24T08:00:00+07:00'], // back over 05-01 and 04-30
    ['1998-12-11T17:00:00+07:00', [], '1998-12-04T08:00:00+07:00'],
  ])('%s -> %s', (deadline, extra, opens) => {
    expect(selfAssessmentOpensAt(deadline, extra)).toBe(opens);
  });
});

describe('reminderTimes', () => {
  it.each<[string, string[], string[]]>([
    ['1999-01-11T17:00:00+07:00', [], ['1999-01-07T08:00:00+07:00', '1999-01-11T08:00:00+07:00']],
    ['1999-01-05T17:00:00+07:00', [], ['1998-12-31T08:00:00+07:00', '1999-01-05T08:00:00+07:00']],
    ['1998-05-04T17:00:00+07:00', [], ['1998-04-28T08:00:00+07:00', '1998-05-04T08:00:00+07:00']],
    ['1999-01-05T10:00:00Z', [], ['1998-12-31T08:00:00+07:00', '1999-01-05T08:00:00+07:00']], // same instant in UTC
    ['1999-01-05T08:00:00+07:00', [], ['1998-12-31T08:00:00+07:00']], // same-day reminder not strictly before
    ['1999-01-05T07:00:00+07:00', [], ['1998-12-31T08:00:00+07:00']],
  ])('%s', (deadline, extra, expected) => {
    const times = reminderTimes(deadline, extra);
    expect(times).toEqual(expected);
    for (const t of times) expect(toMs(t)).toBeLessThan(toMs(deadline));
  });
});

describe('workingDaysAfter', () => {
  it.each<[string, number, string]>([
    ['1998-12-03T10:15:00+07:00', 3, '1998-12-08T17:00:00+07:00'],
    ['1998-12-03T20:00:00Z', 3, '1998-12-09T17:00:00+07:00'], // already 12-04 in Hanoi
    ['1998-04-29T10:00:00+07:00', 3, '1998-05-06T17:00:00+07:00'],
    ['1999-01-08T17:00:00+07:00', 2, '1999-01-12T17:00:00+07:00'],
  ])('%s + %s WD', (iso, n, expected) => {
    expect(workingDaysAfter(iso, n, [])).toBe(expected);
  });
});

describe('reviewFloorAfterExtension', () => {
  const until = '1999-01-08T12:00:00+07:00'; // a Friday
  it('keeps the reviewer two working days by default, at the deadline hour', () => {
    expect(reviewFloorAfterExtension(until, [])).toBe('1999-01-12T17:00:00+07:00');
    expect(reviewFloorAfterExtension(until, ['1999-01-11'])).toBe('1999-01-13T17:00:00+07:00');
  });

  it('follows the configured number of working days', () => {
    expect(reviewFloorAfterExtension(until, [], rulesWith({ reviewWorkingDaysAfterExtension: 3 }))).toBe(
      '1999-01-13T17:00:00+07:00',
    );
  });

  it('gives rules recorded before the setting existed its default', () => {
    const { reviewWorkingDaysAfterExtension: _dropped, ...recorded } = rulesWith({ deadlineHour: 16 });
    expect(reviewFloorAfterExtension(until, [], recorded)).toBe('1999-01-12T16:00:00+07:00');
  });
});

describe('extensionAllowed', () => {
  const current = '1999-01-05T17:00:00+07:00'; // limit: 5 WD later = 1999-01-12 17:00
  it.each<[string, boolean]>([
    ['1999-01-06T09:00:00+07:00', true],
    ['1999-01-12T17:00:00+07:00', true],
    ['1999-01-12T10:00:00Z', true],
    ['1999-01-12T17:01:00+07:00', false],
    ['1999-01-13T09:00:00+07:00', false],
    ['1999-01-05T17:00:00+07:00', false],
    ['1999-01-04T17:00:00+07:00', false],
  ])('%s -> %s', (requested, allowed) => {
    expect(extensionAllowed(current, requested, [])).toBe(allowed);
  });

  it('counts holidays and the configured maximum', () => {
    expect(extensionAllowed(current, '1999-01-12T17:00:00+07:00', ['1999-01-06'])).toBe(true);
    expect(extensionAllowed(current, '1999-01-13T17:00:00+07:00', ['1999-01-06'])).toBe(true);
    expect(extensionAllowed(current, '1999-01-08T17:00:00+07:00', [], rulesWith({ maxExtensionWorkingDays: 2 }))).toBe(
      false,
    );
    expect(extensionAllowed(current, '1999-01-07T17:00:00+07:00', [], rulesWith({ maxExtensionWorkingDays: 2 }))).toBe(
      true,
    );
  });
});

describe('addDays and daysFrom', () => {
  it.each([
    ['1998-12-31', 1, '1999-01-01'],
    ['1999-03-01', -1, '1999-02-28'],
    ['2000-03-01', -1, '2000-02-29'],
    ['1998-12-02', 0, '1998-12-02'],
  ])('%s %+d → %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('lists every day of a span, both ends included, and none for an empty span', () => {
    expect(daysFrom('2000-02-27', '2000-03-01')).toEqual(['2000-02-27', '2000-02-28', '2000-02-29', '2000-03-01']);
    expect(daysFrom('1998-12-02', '1998-12-02')).toEqual(['1998-12-02']);
    expect(daysFrom('1998-12-03', '1998-12-02')).toEqual([]);
  });

  it('refuses a fractional count', () => {
    expect(() => addDays('1998-12-02', 0.5)).toThrow(RangeError);
  });
});

describe('calendar: anchored formats and the last day of a month', () => {
  it.each(['x2026-01-05', '1998-01-055'])('refuses the date %s', (date) => {
    expect(() => isWorkingDay(date, [])).toThrow(new RangeError(`date must be YYYY-MM-DD, got '${date}'`));
  });

  it.each(['x2026-01', '1998-011'])('refuses the period %s', (period) => {
    expect(() => workingDaysIn(period, [])).toThrow(new RangeError(`period must be YYYY-MM, got '${period}'`));
  });

  it.each(['x2026-12-03T17:00:00Z', '1998-12-03T17:00:00Zjunk'])('refuses the instant %s', (iso) => {
    expect(() => toMs(iso)).toThrow(new RangeError(`expected an ISO date-time with offset, got '${iso}'`));
  });

  it('reads an instant without seconds', () => {
    expect(toMs('1998-12-03T17:00+07:00')).toBe(toMs('1998-12-03T17:00:00+07:00'));
  });

  it('never counts the first day of the next month', () => {
    expect(workingDaysIn('1998-06', [])).toBe(22);
    expect(nthWorkingDay('1998-06', 22, [])).toBe('1998-06-30');
    expect(() => nthWorkingDay('1998-06', 23, [])).toThrow(
      new RangeError('1998-06 has only 22 working days, no working day 23'),
    );
  });
});
