/**
 * `GET /v1/escalations` over HTTP on the real servers: a caller sees exactly the escalations whose
 * current target they are (an HR role holder also those addressed to HR), and `?status=` narrows
 * them.
 *
 * The escalations are real: the cycles of `snv` and `hn` open with the self-assessment deadline a
 * little ahead, nobody files one, and each miss escalates to the member's reviewer (to HR for the
 * top head, who has none). Nothing is done before a deadline, so its margin only has to cover the
 * opening itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate } from '../../domain/calendar';
import { eventually, startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const PERIOD = localDate(fromMs(Date.now())).slice(0, 7);

/** Whose missed self-assessment each caller is asked to decide, from the demo directory's reviewers. */
const EXPECTED: [string, string[]][] = [
  ['an', ['binh', 'dung', 'em', 'khanh']],
  ['binh', ['cuong']],
  ['khanh', ['lan', 'minh']],
  ['lan', ['ngoc']],
  // dung holds the HR role: the top head's miss is addressed to HR.
  ['dung', ['an']],
  ['admin', ['an']],
  ['em', []],
  ['minh', []],
  ['ngoc', []],
];
const ALL = EXPECTED.flatMap(([, people]) => people).filter((p, i, all) => all.indexOf(p) === i);

interface Escalation {
  id: string;
  kind: string;
  personId: string;
  targetId: string;
  status: string;
}

describe('GET /v1/escalations on the real servers', () => {
  let s: Stack;
  const list = async (who: string, query = '') => {
    const res = await s.call(who, 'GET', `/v1/escalations${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Escalation[];
  };
  const people = (escalations: Escalation[]) => escalations.map((e) => e.personId).sort();

  beforeAll(async () => {
    s = await startStack('escalations-api', { hr: ['dung'] });
    const deadlines = { plan: at(15_000), selfAssessment: at(30_000), review: at(3 * DAY), deliberation: at(4 * DAY) };
    for (const unitId of ['snv', 'hn']) {
      const res = await s.call('admin', 'POST', '/v1/cycles', { unitId, period: PERIOD, deadlines });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await eventually(
      'every missed self-assessment to escalate',
      async () => {
        const rows = await s.sql<{ personId: string }[]>`
        select person_id from escalations where period = ${PERIOD} and kind = 'self-assessment' and status = 'open'`;
        return rows.length === ALL.length;
      },
      120_000,
    );
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it.each(EXPECTED)('shows %s exactly the escalations targeting them', async (who, expected) => {
    const mine = await list(who);
    expect(people(mine)).toEqual(expected);
    const me = who === 'dung' || who === 'admin' ? 'hr' : who;
    expect(mine.map((e) => [e.targetId, e.kind])).toEqual(expected.map(() => [me, 'self-assessment']));
  });

  it('narrows by ?status=: a decided escalation leaves the open list for the decided one', async () => {
    const [minhs] = (await list('khanh')).filter((e) => e.personId === 'minh');
    const decided = await s.call('khanh', 'POST', `/v1/escalations/${minhs.id}/decision`, {
      action: 'extend',
      until: at(DAY),
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(people(await list('khanh', '?status=open'))).toEqual(['lan']);
    expect(people(await list('khanh', '?status=decided'))).toEqual(['minh']);
    expect(people(await list('khanh'))).toEqual(['lan', 'minh']);
  });

  it('refuses an unknown status (400)', async () => {
    const res = await s.call('khanh', 'GET', '/v1/escalations?status=pending');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });
});
