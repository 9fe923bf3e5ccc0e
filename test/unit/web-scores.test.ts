/** The score fields of the evaluation pages: what was typed, read into scores and judged by the domain's rules. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../api/errors';
import { HN_2023 } from '../../domain/scoring';
import { speech } from '../../web/i18n';
import { issuesByField, liveResult, readScores, refusedFields, scoreName } from '../../web/pages/scores';

const { t } = speech('vi');
const form = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [scoreName(k), v]));

describe('readScores and liveResult (HN-2023)', () => {
  it.each<[string, Record<string, string>, number | null, string | null, Record<string, string>]>([
    ['all valid', { discipline: '18', tasks: '62', bonus: '0' }, 80, 'B', {}],
    ['a decimal comma', { discipline: '18', tasks: '67,5', bonus: '5' }, 90.5, 'A', {}],
    ['the band edge', { discipline: '20', tasks: '30', bonus: '0' }, 50, 'C', {}],
    ['blank', { discipline: '', tasks: '62', bonus: '0' }, null, null, { discipline: 'Hãy nhập điểm (từ 0 đến 20).' }],
    [
      'not a number',
      { discipline: '18', tasks: 'abc', bonus: '0' },
      null,
      null,
      { tasks: 'Phải là một số, ví dụ 18 hoặc 18,5.' },
    ],
    [
      'over the maximum',
      { discipline: '18', tasks: '62', bonus: '15' },
      null,
      null,
      { bonus: 'Điểm phải từ 0 đến 10.' },
    ],
    [
      'below the minimum',
      { discipline: '-1', tasks: '62', bonus: '0' },
      null,
      null,
      { discipline: 'Điểm phải từ 0 đến 20.' },
    ],
    [
      'two decimals',
      { discipline: '18.25', tasks: '62', bonus: '0' },
      null,
      null,
      { discipline: 'Chỉ được một chữ số thập phân.' },
    ],
  ])('%s', (_name, values, total, grade, errors) => {
    const result = liveResult(t, HN_2023, readScores(t, HN_2023, form(values)));
    expect(result).toEqual({ total, grade, errors });
  });

  it('keeps what was typed to show it back, trimmed', () => {
    expect(readScores(t, HN_2023, form({ discipline: ' 18 ', tasks: '62', bonus: '1' })).values).toEqual({
      discipline: '18',
      tasks: '62',
      bonus: '1',
    });
  });
});

describe("the workflow's refusal, next to its fields", () => {
  it('reads the fields of a 400 refusal and words each', () => {
    const err = new HttpError(400, 'The scores do not fit profile HN-2023.', {
      fields: [{ field: 'scores.bonus', rule: 'range', message: 'bonus must be between 0 and 10, got 15' }],
    });
    const fields = refusedFields(err);
    expect(fields).toHaveLength(1);
    expect(issuesByField(t, HN_2023, fields!)).toEqual({ bonus: 'Điểm phải từ 0 đến 10.' });
  });

  it.each([
    ['a 409', new HttpError(409, 'closed', { phase: 'review' })],
    ['a 400 without fields', new HttpError(400, 'bad')],
    ['not an HttpError', new Error('boom')],
  ])('finds no fields in %s', (_name, err) => {
    expect(refusedFields(err)).toBeNull();
  });
});
