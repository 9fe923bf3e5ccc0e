import { describe, expect, it } from 'vitest';
import type { Cap } from '../../domain/caps';
import { checkDeliberation, isDecided, lineApprovers, type Decision, type MemberLine } from '../../domain/deliberation';
import type { Grade } from '../../domain/types';

const discipline: Cap = { rule: 'discipline', maxGrade: 'C', reason: 'reprimand in the month' };
const leader: Cap = { rule: 'leader-tied-to-unit', maxGrade: 'B', reason: 'a subordinate is D' };
const absence: Cap = { rule: 'absence', maxGrade: null, reason: 'leave 15 of 22 days' };

const line = (personId: string, proposedGrade: Grade | null, caps: Cap[] = []): MemberLine => ({
  personId,
  proposedGrade,
  caps,
  role: 'staff',
});
const asProposed = (lines: MemberLine[]): Decision[] =>
  lines.map((l) => ({ personId: l.personId, grade: l.proposedGrade }));

// 10 rated people, 3 A: exactly at quota.
const unit: MemberLine[] = [
  line('p01', 'A'),
  line('p02', 'A'),
  line('p03', 'A'),
  line('p04', 'B'),
  line('p05', 'B'),
  line('p06', 'B'),
  line('p07', 'C', [discipline]),
  line('p08', 'B', [leader]),
  line('p09', 'D'),
  line('p10', 'B'),
  line('p11', null, [absence]),
];

describe('checkDeliberation', () => {
  it('accepts the list as proposed', () => {
    expect(checkDeliberation(unit, asProposed(unit), false)).toEqual([]);
  });

  const change = (personId: string, grade: Grade | null, rationale?: string): Decision[] =>
    asProposed(unit).map((d) => (d.personId === personId ? { personId, grade, rationale } : d));

  it.each<[string, Decision[], boolean, { rule: string; personId?: string; [k: string]: unknown }[]]>([
    [
      'missing member (coverage)',
      asProposed(unit).filter((d) => d.personId !== 'p05'),
      false,
      [{ rule: 'coverage', personId: 'p05' }],
    ],
    [
      'unknown member',
      [...asProposed(unit), { personId: 'zz', grade: 'B' }],
      false,
      [{ rule: 'unknown-member', personId: 'zz' }],
    ],
    [
      'duplicate member',
      [...asProposed(unit), { personId: 'p04', grade: 'B' }],
      false,
      [{ rule: 'duplicate', personId: 'p04' }],
    ],
    [
      'change without rationale',
      change('p04', 'C'),
      false,
      [{ rule: 'rationale', personId: 'p04', proposedGrade: 'B', grade: 'C' }],
    ],
    ['change with blank rationale', change('p04', 'C', '   '), false, [{ rule: 'rationale', personId: 'p04' }]],
    ['change with rationale', change('p04', 'C', 'missed two targets'), false, []],
    [
      'discipline cap',
      change('p07', 'B', 'good month'),
      false,
      [{ rule: 'cap', personId: 'p07', maxGrade: 'C', capRules: ['discipline'] }],
    ],
    [
      'leader cap',
      change('p08', 'A', 'excellent'),
      true,
      [{ rule: 'cap', personId: 'p08', maxGrade: 'B', capRules: ['leader-tied-to-unit'] }],
    ],
    ['grade at the cap is fine', change('p08', 'B'), false, []],
    [
      'not-rated member given a grade',
      change('p11', 'B', 'was present enough'),
      false,
      [{ rule: 'not-rated', personId: 'p11' }],
    ],
    ['rated member without a grade', change('p10', null, 'forgot'), false, [{ rule: 'not-rated', personId: 'p10' }]],
    [
      'quota excess',
      change('p04', 'A', 'led the census'),
      false,
      [{ rule: 'quota', allowed: 3, given: 4, excess: 1, rated: 10 }],
    ],
    ['quota fine when outstanding', change('p04', 'A', 'led the census'), true, []],
  ])('%s', (_name, decisions, outstanding, expected) => {
    const breaches = checkDeliberation(unit, decisions, outstanding);
    expect(breaches).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(breaches[i]).toMatchObject(e));
    for (const b of breaches) expect(b.message.length).toBeGreaterThan(0);
  });

  it('returns all breaches at once', () => {
    const decisions: Decision[] = [
      { personId: 'p01', grade: 'A' },
      { personId: 'p02', grade: 'A' },
      { personId: 'p03', grade: 'A' },
      { personId: 'p04', grade: 'A' }, // quota + rationale
      { personId: 'p07', grade: 'A', rationale: 'x' }, // cap + quota
      { personId: 'p11', grade: 'C' }, // not-rated + rationale
    ];
    const rules = checkDeliberation(unit, decisions, false).map((b) => `${b.rule}:${b.personId ?? ''}`);
    expect(rules).toEqual([
      'rationale:p04',
      'cap:p07',
      'rationale:p11',
      'not-rated:p11',
      'coverage:p05',
      'coverage:p06',
      'coverage:p08',
      'coverage:p09',
      'coverage:p10',
      'quota:',
    ]);
  });

  it('names every cap the grade exceeds', () => {
    const lines = [line('x', 'C', [leader, discipline])];
    const [b] = checkDeliberation(lines, [{ personId: 'x', grade: 'A', rationale: 'r' }], false);
    expect(b).toMatchObject({ rule: 'cap', maxGrade: 'C', capRules: ['leader-tied-to-unit', 'discipline'] });
  });
});

describe('lineApprovers', () => {
  it.each<[string[], string, string[]]>([
    [['h', 'd1', 'd2'], 'd1', ['h', 'd2']],
    [['h', 'd1', 'd2'], 's1', ['h', 'd1', 'd2']],
    [['h'], 'h', []],
    [['h', 'h', 'd1'], 's1', ['h', 'd1']],
  ])('%j minus %s', (collective, person, expected) => expect(lineApprovers(collective, person)).toEqual(expected));
});

describe('isDecided', () => {
  const collective = ['h', 'd1', 'd2'];
  it.each<[string, string[], string[], string[], { personId: string; approvals: number; needed: number }[]]>([
    ['head alone is not a majority of 3', collective, ['s1'], ['h'], [{ personId: 's1', approvals: 1, needed: 2 }]],
    ['head + one deputy decides a staff line', collective, ['s1'], ['h', 'd1'], []],
    // d1 is recused on own line: eligible h, d2 -> needs 2
    [
      'recusal: own approval does not count',
      collective,
      ['d1'],
      ['h', 'd1'],
      [{ personId: 'd1', approvals: 1, needed: 2 }],
    ],
    ['recusal: both others approve', collective, ['d1'], ['h', 'd2'], []],
    [
      'mixed lines',
      collective,
      ['s1', 'd1', 'd2'],
      ['h', 'd1'],
      // s1: 2 of 3; d2: h + d1 = 2 of 2; d1: only h counts
      [{ personId: 'd1', approvals: 1, needed: 2 }],
    ],
    [
      'outsiders and repeats do not count',
      collective,
      ['s1'],
      ['h', 'h', 'x'],
      [{ personId: 's1', approvals: 1, needed: 2 }],
    ],
    ['collective of one decides alone', ['h'], ['s1', 's2'], ['h'], []],
    ['lone top head: own line has no approvers and is decided', ['h'], ['h', 's1'], ['h'], []],
    [
      'two-person collective: staff line needs both',
      ['h', 'd1'],
      ['s1', 'd1'],
      ['h'],
      [{ personId: 's1', approvals: 1, needed: 2 }],
    ],
    ['nothing approved', collective, ['s1'], [], [{ personId: 's1', approvals: 0, needed: 2 }]],
  ])('%s', (_name, coll, lines, approvals, pending) => {
    const result = isDecided(coll, lines, approvals);
    expect(result.pending).toEqual(pending);
    expect(result.decided).toBe(pending.length === 0);
  });
});

describe('checkDeliberation: what each breach says', () => {
  const rated = line('r1', 'B');
  const notRated = line('n1', null, [discipline, absence, { rule: 'absence', maxGrade: null, reason: 'suspended' }]);

  it('a not-rated member left without a grade needs no rationale', () => {
    expect(checkDeliberation([line('n2', 'B', [absence])], [{ personId: 'n2', grade: null }], false)).toEqual([]);
  });

  it('a rated member left without a grade needs both a rationale and a grade', () => {
    expect(checkDeliberation([rated], [{ personId: 'r1', grade: null }], false)).toEqual([
      {
        rule: 'rationale',
        personId: 'r1',
        proposedGrade: 'B',
        grade: null,
        message: 'r1: changing the proposed grade B to not rated needs a written rationale',
      },
      { rule: 'not-rated', personId: 'r1', grade: null, message: 'r1 is rated this month and needs a grade' },
    ]);
  });

  it('a grade for a not-rated member lists every reason they are not rated', () => {
    expect(checkDeliberation([notRated], [{ personId: 'n1', grade: 'C' }], false)).toEqual([
      {
        rule: 'rationale',
        personId: 'n1',
        proposedGrade: null,
        grade: 'C',
        message: 'n1: changing the proposed grade not rated to C needs a written rationale',
      },
      {
        rule: 'not-rated',
        personId: 'n1',
        grade: 'C',
        message: 'n1 is not rated this month (leave 15 of 22 days; suspended) and must get no grade',
      },
    ]);
  });

  it('a grade above a cap names only the caps it breaks', () => {
    const capped = line('c1', 'C', [discipline, leader]);
    expect(checkDeliberation([capped], [{ personId: 'c1', grade: 'B', rationale: 'improved' }], false)).toEqual([
      {
        rule: 'cap',
        personId: 'c1',
        grade: 'B',
        maxGrade: 'C',
        capRules: ['discipline'],
        message: 'c1: B is better than allowed by discipline (reprimand in the month)',
      },
    ]);
    expect(checkDeliberation([capped], [{ personId: 'c1', grade: 'A', rationale: 'improved' }], false)[0].message).toBe(
      'c1: A is better than allowed by discipline (reprimand in the month), leader-tied-to-unit (a subordinate is D)',
    );
  });
});
