/**
 * The rights matrix: every route of the OpenAPI document called as every role, each status
 * compared with the table below, and each refusal shown to change nothing in the database.
 *
 * The roles are fixed people around `ngoc` (staff of `snv`, reviewed by the deputy `lan`); a
 * second deputy `oanh` is added to the demo directory so that "a deputy" is not also "the
 * reviewer". Rows about a case or a head's record keep the same people: `khanh` is the head being
 * replaced, `em` (head of `sxd`) receives the transfer, `an` chairs the deciding collective.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, fromMs, localDate, nextPeriod, nthWorkingDay } from '../../domain/calendar';
import type { Directory } from '../../domain/types';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { eventually, startStack, type Stack } from '../support/stack';

const ROLES = [
  'person',
  'reviewer',
  'peer',
  'deputy',
  'head',
  'siblingHead',
  'superiorHead',
  'hr',
  'admin',
  'none',
  'bad',
] as const;
type Role = (typeof ROLES)[number];
type Authed = Exclude<Role, 'none' | 'bad'>;

const WHO: Record<Authed, string> = {
  person: 'ngoc',
  reviewer: 'lan',
  peer: 'minh',
  deputy: 'oanh',
  head: 'khanh',
  siblingHead: 'em',
  superiorHead: 'an',
  hr: 'dung',
  admin: 'admin',
};

const DIRECTORY: Directory = {
  units: DEMO_DIRECTORY.units,
  people: [
    ...DEMO_DIRECTORY.people,
    { id: 'oanh', fullName: 'Trần Thị Oanh', unitId: 'snv', role: 'deputy', email: null, reviewerId: null },
  ],
};

/**
 * A cycle still taking plans; one walked to published results with a complaint open; one whose
 * self-assessments were missed: the three months after today's (the dev server runs on the real clock).
 */
const OPEN = nextPeriod(localDate(fromMs(Date.now())).slice(0, 7));
const PUBLISHED = nextPeriod(OPEN);
const MISSED = nextPeriod(PUBLISHED);
// ngoc moves on the first of the third month after MISSED, so she stays in snv through the three cycles.
const MOVES_ON = `${nextPeriod(nextPeriod(nextPeriod(MISSED)))}-01`;
// A holiday and a leave two years on, so that writing them moves none of the three cycles' deadlines.
const FAR_DAY = nthWorkingDay(`${Number(OPEN.slice(0, 4)) + 2}-01`, 5, []);

/** What beforeAll creates for the rows to act on. */
const ids = { complaint: '', escalation: '', proposal: '', transfer: '', replacement: '', token: '' };

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The route as the OpenAPI document names it. */
  route: string;
  url: () => string;
  body?: () => unknown;
  allowed: readonly Authed[];
}

const EVERYONE: readonly Authed[] = [
  'person',
  'reviewer',
  'peer',
  'deputy',
  'head',
  'siblingHead',
  'superiorHead',
  'hr',
  'admin',
];
const HR: readonly Authed[] = ['hr', 'admin'];
const COLLECTIVE: readonly Authed[] = ['reviewer', 'deputy', 'head'];
/** Who reads the snv cycle: its collective and members (their own line), HR. */
const CYCLE_READERS: readonly Authed[] = ['person', 'peer', ...COLLECTIVE, ...HR];
/** Who reads snv's oversight report: its head and deputies, the head of hn above it, HR. */
const OVERSEERS: readonly Authed[] = [...COLLECTIVE, 'superiorHead', ...HR];
const later = (ms: number) => () => fromMs(Date.now() + ms);
const DAY = 86_400_000;

const row = (
  method: Row['method'],
  route: string,
  url: string | (() => string),
  allowed: readonly Authed[],
  body?: unknown | (() => unknown),
): Row => ({
  method,
  route,
  url: typeof url === 'string' ? () => url : url,
  body: body === undefined ? undefined : typeof body === 'function' ? (body as () => unknown) : () => body,
  allowed,
});

// Rows run in this order: those that end something (a withdrawal) come after the rows that need it open.
const TABLE: Row[] = [
  row('GET', '/v1/me/tasks', '/v1/me/tasks', EVERYONE),
  row('GET', '/v1/me/complaints', '/v1/me/complaints', EVERYONE),
  row('GET', '/v1/escalations', '/v1/escalations', EVERYONE),
  row('GET', '/v1/cases', '/v1/cases', EVERYONE),
  row('PUT', '/v1/org', '/v1/org', HR, { units: [], people: [] }),
  row('POST', '/v1/tokens', '/v1/tokens', ['admin'], { personId: 'minh', roles: [] }),
  row('GET', '/v1/holidays/suggested', `/v1/holidays/suggested?year=${new Date().getUTCFullYear()}`, ['admin']),
  row('PUT', '/v1/holidays', '/v1/holidays', ['admin'], { holidays: [{ date: FAR_DAY, name: 'Tết Nguyên đán' }] }),
  row('GET', '/v1/audit', '/v1/audit?personId=ngoc&limit=5', HR),
  row('GET', '/v1/audit/export', '/v1/audit/export?unitId=snv&from=2026-01-01', HR),
  row('GET', '/v1/audit/export.xlsx', '/v1/audit/export.xlsx?unitId=snv', HR),
  row('GET', '/v1/tokens', '/v1/tokens', EVERYONE),
  // A second token of minh's (not the one the matrix calls with): he and an admin revoke it, the second time a no-op.
  row('DELETE', '/v1/tokens/{id}', () => `/v1/tokens/${ids.token}`, ['peer', 'admin']),
  row('GET', '/v1/people/{id}', '/v1/people/ngoc', ['person', 'reviewer', 'head', ...HR]),
  // A head's record: their reviewer is the superior head; their own deputies do not read it.
  row('GET', '/v1/people/{id}', '/v1/people/khanh', ['head', 'superiorHead', ...HR]),
  row('POST', '/v1/people/{id}/discipline', '/v1/people/ngoc/discipline', HR, {
    date: '2026-10-01',
    level: 'reprimand',
  }),
  row('POST', '/v1/people/{id}/leave', '/v1/people/ngoc/leave', HR, {
    from: FAR_DAY,
    to: addWorkingDays(FAR_DAY, 1, []),
  }),
  row('POST', '/v1/people/{id}/confidence-votes', '/v1/people/khanh/confidence-votes', HR, {
    date: '2026-10-15',
    low: 1,
    total: 15,
  }),
  row('POST', '/v1/cycles', '/v1/cycles', ['head', ...HR], { unitId: 'snv', period: OPEN }),
  row('GET', '/v1/cycles/{unitId}/{period}', `/v1/cycles/snv/${OPEN}`, CYCLE_READERS),
  row('PUT', '/v1/cycles/{unitId}/{period}/deadlines', `/v1/cycles/snv/${OPEN}/deadlines`, ['admin'], () => ({
    plan: later(3 * DAY)(),
  })),
  row('PUT', '/v1/cycles/{unitId}/{period}/deliberation', `/v1/cycles/snv/${OPEN}/deliberation`, ['head'], {
    decisions: [{ personId: 'ngoc', grade: 'B' }],
  }),
  // A dry run: the head may check a list (409 while the cycle takes plans); nobody's check changes anything.
  row(
    'POST',
    '/v1/cycles/{unitId}/{period}/deliberation/check',
    `/v1/cycles/snv/${OPEN}/deliberation/check`,
    ['head'],
    {
      decisions: [{ personId: 'ngoc', grade: 'B' }],
    },
  ),
  row(
    'POST',
    '/v1/cycles/{unitId}/{period}/deliberation/approvals',
    `/v1/cycles/snv/${OPEN}/deliberation/approvals`,
    COLLECTIVE,
    {},
  ),
  row(
    'PUT',
    '/v1/cycles/{unitId}/{period}/outstanding',
    `/v1/cycles/snv/${OPEN}/outstanding`,
    ['superiorHead', 'admin'],
    { outstanding: true, rationale: 'Hoàn thành xuất sắc' },
  ),
  row('GET', '/v1/cycles/{unitId}/{period}/results', `/v1/cycles/snv/${PUBLISHED}/results`, CYCLE_READERS),
  row('GET', '/v1/cycles/{unitId}/{period}/commendations', `/v1/cycles/snv/${PUBLISHED}/commendations`, CYCLE_READERS),
  // snv's targets: its head and HR set them (the same list each time, so a repeat changes nothing); its overseers read them.
  row('PUT', '/v1/units/{unitId}/targets/{period}', `/v1/units/snv/targets/${OPEN}`, ['head', ...HR], {
    targets: [{ name: 'Giải quyết hồ sơ đúng hạn', weight: 1, planned: 100, achieved: 95 }],
  }),
  row('GET', '/v1/units/{unitId}/targets/{period}', `/v1/units/snv/targets/${OPEN}`, OVERSEERS),
  row('POST', '/v1/units/targets/import', '/v1/units/targets/import', HR, {
    csv: `unitId,period,name,weight,planned,achieved,completion\nsxd,${OPEN},Giải ngân,1,,,90`,
  }),
  // Members read their own line of the unit's roll-up; the collective and HR every line, and download it.
  row('GET', '/v1/annual/{unitId}/{year}', `/v1/annual/snv/${PUBLISHED.slice(0, 4)}`, CYCLE_READERS),
  row('GET', '/v1/annual/{unitId}/{year}.xlsx', `/v1/annual/snv/${PUBLISHED.slice(0, 4)}.xlsx`, [...COLLECTIVE, ...HR]),
  row('GET', '/v1/people/{id}/annual/{year}', `/v1/people/ngoc/annual/${PUBLISHED.slice(0, 4)}`, [
    'person',
    'reviewer',
    'head',
    ...HR,
  ]),
  row('GET', '/v1/people/{id}/annual/{year}', `/v1/people/khanh/annual/${PUBLISHED.slice(0, 4)}`, [
    'head',
    'superiorHead',
    ...HR,
  ]),
  ...(['xlsx', 'csv', 'pdf'] as const).map((ext) =>
    row(
      'GET',
      `/v1/cycles/{unitId}/{period}/results.${ext}`,
      `/v1/cycles/snv/${PUBLISHED}/results.${ext}`,
      CYCLE_READERS,
    ),
  ),
  row('GET', '/v1/reports/{unitId}/{period}', `/v1/reports/snv/${PUBLISHED}`, OVERSEERS),
  row('GET', '/v1/reports/{unitId}/{period}.xlsx', `/v1/reports/snv/${PUBLISHED}.xlsx`, OVERSEERS),
  row('GET', '/v1/reports/{unitId}/trend', `/v1/reports/snv/trend?from=${OPEN}&to=${MISSED}`, OVERSEERS),
  row('GET', '/v1/evaluations/{period}/{personId}.pdf', `/v1/evaluations/${OPEN}/ngoc.pdf`, [
    'person',
    ...COLLECTIVE,
    ...HR,
  ]),
  row('PUT', '/v1/evaluations/{period}/{personId}/plan', `/v1/evaluations/${OPEN}/ngoc/plan`, ['person'], {
    tasks: [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }],
  }),
  row(
    'PUT',
    '/v1/evaluations/{period}/{personId}/self-assessment',
    `/v1/evaluations/${OPEN}/ngoc/self-assessment`,
    ['person'],
    { scores: { discipline: 18, tasks: 60, bonus: 2 } },
  ),
  row('PUT', '/v1/evaluations/{period}/{personId}/review', `/v1/evaluations/${OPEN}/ngoc/review`, ['reviewer'], {
    scores: { discipline: 18, tasks: 60, bonus: 2 },
  }),
  row('GET', '/v1/evaluations/{period}/{personId}', `/v1/evaluations/${OPEN}/ngoc`, ['person', ...COLLECTIVE, ...HR]),
  row(
    'POST',
    '/v1/evaluations/{period}/{personId}/complaints',
    `/v1/evaluations/${PUBLISHED}/ngoc/complaints`,
    ['person'],
    { reason: 'Tôi đã vượt chỉ tiêu' },
  ),
  row('POST', '/v1/complaints/{id}/resolution', () => `/v1/complaints/${ids.complaint}/resolution`, ['head'], {
    outcome: 'upheld',
    rationale: 'Giữ nguyên kết quả',
  }),
  row(
    'POST',
    '/v1/escalations/{id}/decision',
    () => `/v1/escalations/${ids.escalation}/decision`,
    ['reviewer'],
    () => ({ action: 'extend', until: later(DAY)() }),
  ),
  row('GET', '/v1/proposals', '/v1/proposals', HR),
  row('POST', '/v1/proposals/scan', '/v1/proposals/scan', HR, {}),
  row('POST', '/v1/proposals/{id}/dismiss', () => `/v1/proposals/${ids.proposal}/dismiss`, HR, {
    note: 'Vừa chuyển đổi nội bộ',
  }),
  // A replacement of a staff member is refused by a rule (422), so allowed callers open nothing.
  row('POST', '/v1/cases', '/v1/cases', HR, { kind: 'replacement', personId: 'minh', reason: 'Không phải lãnh đạo' }),
  // The transfer of ngoc to sxd: khanh sends, em receives, hn's collective (an chairs) decides.
  row('GET', '/v1/cases/{id}', () => `/v1/cases/${ids.transfer}`, [
    'person',
    'head',
    'siblingHead',
    'superiorHead',
    ...HR,
  ]),
  row(
    'POST',
    '/v1/cases/{id}/opinions',
    () => `/v1/cases/${ids.transfer}/opinions`,
    ['person', 'head', 'siblingHead'],
    { opinion: 'agree' },
  ),
  row('POST', '/v1/cases/{id}/votes', () => `/v1/cases/${ids.transfer}/votes`, ['superiorHead'], { vote: 'approve' }),
  row('POST', '/v1/cases/{id}/handover', () => `/v1/cases/${ids.transfer}/handover`, ['person'], {}),
  row('POST', '/v1/cases/{id}/receipt', () => `/v1/cases/${ids.transfer}/receipt`, ['siblingHead'], {}),
  row('POST', '/v1/cases/{id}/review', () => `/v1/cases/${ids.transfer}/review`, HR, { recommendation: 'return' }),
  // The replacement of khanh, decided by hn's collective in a secret ballot.
  row('POST', '/v1/cases/{id}/explanation', () => `/v1/cases/${ids.replacement}/explanation`, ['head'], {
    text: 'Tôi xin giải trình',
  }),
  row('POST', '/v1/cases/{id}/proposal', () => `/v1/cases/${ids.replacement}/proposal`, HR, {
    recommendation: 'replace',
    actingPersonId: 'lan',
  }),
  row('POST', '/v1/cases/{id}/votes', () => `/v1/cases/${ids.replacement}/votes`, ['superiorHead'], {
    vote: 'approve',
  }),
  row('POST', '/v1/cases/{id}/casting-vote', () => `/v1/cases/${ids.replacement}/casting-vote`, ['superiorHead'], {
    vote: 'approve',
  }),
  row('POST', '/v1/cases/{id}/withdraw', () => `/v1/cases/${ids.transfer}/withdraw`, HR, { note: 'Không còn nhu cầu' }),
];

/** Everything a request could write; the outbox is left out, as reminders land there on their own timers. */
const TABLES = [
  'audit',
  'evaluations',
  'cycles',
  'cases',
  'people',
  'units',
  'tokens',
  'holidays',
  'proposals',
  'discipline',
  'leaves',
  'confidence_votes',
  'complaints',
  'escalations',
  'ballot_voters',
  'ballot_totals',
  'idempotency',
  'open_steps',
  'settings',
  'unit_targets',
];

describe('rights matrix', () => {
  let s: Stack;

  const snapshot = async (): Promise<Record<string, string>> => {
    const query = TABLES.map(
      (t) => `select '${t}' as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as hash from ${t} x`,
    ).join(' union all ');
    const rows = await s.sql.unsafe<{ name: string; hash: string }[]>(query);
    return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
  };
  const changedTables = (a: Record<string, string>, b: Record<string, string>) => TABLES.filter((t) => a[t] !== b[t]);

  /** Waits until nothing is being written (an earlier command's workflow may still be settling its next step). */
  const quiet = async (): Promise<Record<string, string>> => {
    let last = await snapshot();
    return eventually('the database to settle', async () => {
      await new Promise((r) => setTimeout(r, 250));
      const now = await snapshot();
      const same = changedTables(last, now).length === 0;
      last = now;
      return same ? now : undefined;
    });
  };

  const callAs = (role: Role, r: Row) => {
    const body = r.body?.();
    if (role === 'none') return s.call(null, r.method, r.url(), body);
    if (role === 'bad') return s.call(null, r.method, r.url(), body, { authorization: 'Bearer not-a-known-token' });
    return s.call(WHO[role], r.method, r.url(), body);
  };

  const expectOk = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await s.call(who, method, path, body);
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  /** Walks the PUBLISHED cycle from self-assessments to published results, and ngoc complains. */
  async function publishWithComplaint() {
    const self = { discipline: 18, tasks: 60, bonus: 2 };
    for (const who of ['lan', 'minh', 'ngoc', 'oanh']) {
      await eventually(
        `${who}'s self-assessment`,
        async () =>
          (await s.call(who, 'PUT', `/v1/evaluations/${PUBLISHED}/${who}/self-assessment`, { scores: self })).status ===
          200,
      );
    }
    const reviews: [string, string, Record<string, number>][] = [
      ['khanh', 'lan', { discipline: 20, tasks: 68, bonus: 7 }],
      ['khanh', 'minh', { discipline: 18, tasks: 55, bonus: 2 }],
      ['khanh', 'oanh', { discipline: 18, tasks: 55, bonus: 2 }],
      ['lan', 'ngoc', { discipline: 15, tasks: 45, bonus: 0 }],
    ];
    for (const [reviewer, person, scores] of reviews)
      await expectOk(reviewer, 'PUT', `/v1/evaluations/${PUBLISHED}/${person}/review`, { scores });
    await eventually(
      'the deliberation to open',
      async () => (await s.call('khanh', 'GET', `/v1/cycles/snv/${PUBLISHED}`)).body.phase === 'deliberation',
    );
    const decisions = [
      { personId: 'lan', grade: 'A' },
      { personId: 'minh', grade: 'B' },
      { personId: 'ngoc', grade: 'C' },
      { personId: 'oanh', grade: 'B' },
    ];
    await expectOk('khanh', 'PUT', `/v1/cycles/snv/${PUBLISHED}/deliberation`, { decisions });
    for (const who of ['lan', 'oanh'])
      await expectOk(who, 'POST', `/v1/cycles/snv/${PUBLISHED}/deliberation/approvals`, {});
    expect((await s.call('khanh', 'GET', `/v1/cycles/snv/${PUBLISHED}`)).body.phase).toBe('published');
    // The month's commendation list, as a member reads it, names the A grades only.
    const commended = await expectOk('ngoc', 'GET', `/v1/cycles/snv/${PUBLISHED}/commendations`);
    expect(commended.results.map((r: { personId: string }) => r.personId)).toEqual(['lan']);
    ids.complaint = (
      await expectOk('ngoc', 'POST', `/v1/evaluations/${PUBLISHED}/ngoc/complaints`, { reason: 'Tôi đã vượt chỉ tiêu' })
    ).id;
  }

  beforeAll(async () => {
    // Every row presents an unknown token once, more rows than the production limit allows a minute.
    s = await startStack('rights', {
      directory: DIRECTORY,
      hr: ['dung'],
      authFailureLimit: { failures: 1000, seconds: 60 },
    });
    // A sensitive post held since 2024 makes a position change due: the proposal the dismiss row needs.
    await expectOk('admin', 'PUT', '/v1/org', {
      units: [],
      people: [
        {
          id: 'ngoc',
          fullName: 'Lý Thị Ngọc',
          unitId: 'snv',
          role: 'staff',
          reviewerId: 'lan',
          sensitivePosition: true,
          positionSince: '2024-01-01',
        },
      ],
    });
    ids.token = (await expectOk('admin', 'POST', '/v1/tokens', { personId: 'minh', label: 'rights' })).tokenId;
    const [proposal] = await s.sql<
      { id: string }[]
    >`select id from proposals where person_id = 'ngoc' and status = 'open'`;
    ids.proposal = proposal.id;

    await expectOk('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: OPEN });
    const short = (selfAssessment: number) => ({
      plan: later(10_000)(),
      selfAssessment: later(selfAssessment)(),
      review: later(3 * DAY)(),
      deliberation: later(4 * DAY)(),
    });
    await expectOk('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PUBLISHED, deadlines: short(DAY) });
    await expectOk('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: MISSED, deadlines: short(20_000) });

    ids.transfer = (
      await expectOk('dung', 'POST', '/v1/cases', {
        kind: 'transfer',
        personId: 'ngoc',
        toUnitId: 'sxd',
        toRole: 'staff',
        effectiveDate: MOVES_ON,
        reason: 'Điều động',
      })
    ).id;
    ids.replacement = (
      await expectOk('dung', 'POST', '/v1/cases', {
        kind: 'replacement',
        personId: 'khanh',
        reason: 'Hai tháng liền loại D',
      })
    ).id;

    await publishWithComplaint();
    // Nobody filed a self-assessment in MISSED: ngoc's miss is escalated to her reviewer.
    const escalation = await eventually(
      "ngoc's missed self-assessment to escalate",
      async () => {
        const [e] = await s.sql<{ id: string }[]>`
        select id from escalations where period = ${MISSED} and person_id = 'ngoc' and kind = 'self-assessment' and status = 'open' and target_id = 'lan'`;
        return e;
      },
      60_000,
    );
    ids.escalation = escalation.id;
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('has a row for every route of the OpenAPI document, and no row for a route it lacks', async () => {
    const doc = (await s.call(null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set(TABLE.map((r) => `${r.method} ${r.route}`));
    expect([...covered].sort()).toEqual([...new Set(documented)].sort());
  });

  it.each(TABLE.map((r) => [`${r.method} ${r.route}: ${r.allowed.join(', ')}`, r] as const))('%s', async (_name, r) => {
    const expected: Partial<Record<Role, string>> = {};
    const got: Partial<Record<Role, string>> = {};
    for (const role of ROLES)
      expected[role] =
        role === 'none' || role === 'bad' ? 'unauthenticated' : r.allowed.includes(role) ? 'allowed' : 'refused';
    // Refusals first, on a settled database, so a change can only be the refused call's own.
    const order = [...ROLES].sort((a, b) => Number(expected[a] === 'allowed') - Number(expected[b] === 'allowed'));
    let before = await quiet();
    for (const role of order) {
      const res = await callAs(role, r);
      if (expected[role] === 'allowed') {
        // A phase or rule answer (409, 422) still shows the caller got past the rights check.
        got[role] = [200, 201, 409, 422].includes(res.status) ? 'allowed' : `status ${res.status}`;
        continue;
      }
      const status = res.status === 401 ? 'unauthenticated' : res.status === 403 ? 'refused' : `status ${res.status}`;
      const after = await snapshot();
      const changed = changedTables(before, after);
      got[role] = changed.length === 0 ? status : `${status}, but changed ${changed.join(', ')}`;
      before = after;
    }
    expect(got).toEqual(expected);
  });
});
