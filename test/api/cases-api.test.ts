/**
 * Directory details, proposals and cases through the API on the real servers (Temporal CLI dev
 * server, PostgreSQL): each new route's rights and errors, each refusal changing nothing, and a
 * move that shows in `GET /v1/people/{id}` and in the next month's cycle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, nextPeriod } from '../../domain/calendar';
import { addMonths } from '../../domain/eligibility';
import { eventually, startStack, type Stack } from '../support/stack';

describe('cases API', () => {
  let s: Stack;
  const today = localDate(fromMs(Date.now()));
  // Relative to the API's today, which the rules read: 60+ months in post is overdue, 24–59 due; a
  // deferral still running; a retirement within the 18 months a move may not cross.
  const dates = {
    overdueSince: addMonths(today, -83),
    dueSince: addMonths(today, -30),
    deferredUntil: addMonths(today, 48),
    retiresOn: addMonths(today, 7),
  };

  beforeAll(async () => {
    s = await startStack('cases-api', { hr: ['dung'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function expectCall(
    status: number,
    who: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    const res = await s.call(who, method, path, body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  }
  const caseCount = async () => Number((await s.sql<{ n: string }[]>`select count(*) as n from cases`)[0].n);

  it('keeps the case fields of the directory, and an omitted field keeps what is stored', async () => {
    const bad = await expectCall(400, 'dung', 'PUT', '/v1/org', {
      units: [],
      people: [
        {
          id: 'hoa',
          fullName: 'Bùi Thị Hoa',
          unitId: 'sxd',
          role: 'staff',
          deferrals: [{ reason: 'holiday', until: dates.deferredUntil }],
        },
      ],
    });
    expect(bad.error.details.map((d: { field: string }) => d.field)).toContain('people.0.deferrals.0.reason');
    await expectCall(200, 'dung', 'PUT', '/v1/org', {
      units: [],
      people: [
        {
          id: 'hoa',
          fullName: 'Bùi Thị Hoa',
          unitId: 'sxd',
          role: 'staff',
          reviewerId: 'giang',
          sensitivePosition: true,
          positionSince: dates.overdueSince,
        },
        {
          id: 'ngoc',
          fullName: 'Lý Thị Ngọc',
          unitId: 'snv',
          role: 'staff',
          reviewerId: 'lan',
          sensitivePosition: true,
          positionSince: dates.dueSince,
        },
        {
          id: 'hai',
          fullName: 'Đặng Văn Hải',
          unitId: 'sxd',
          role: 'staff',
          deferrals: [{ reason: 'pregnancy', until: dates.deferredUntil }],
        },
        { id: 'minh', fullName: 'Dương Văn Minh', unitId: 'snv', role: 'staff', retirementDate: dates.retiresOn },
      ],
    });
    expect(await expectCall(200, 'hoa', 'GET', '/v1/people/hoa')).toMatchObject({
      id: 'hoa',
      unitId: 'sxd',
      role: 'staff',
      sensitivePosition: true,
      positionSince: dates.overdueSince,
      retirementDate: null,
      deferrals: [],
      discipline: [],
      confidenceVotes: [],
    });
    // The same person again without the case fields: they are kept.
    await expectCall(200, 'dung', 'PUT', '/v1/org', {
      units: [],
      people: [{ id: 'hoa', fullName: 'Bùi Thị Hoa', unitId: 'sxd', role: 'staff', reviewerId: 'giang' }],
    });
    expect(await expectCall(200, 'dung', 'GET', '/v1/people/hoa')).toMatchObject({
      sensitivePosition: true,
      positionSince: dates.overdueSince,
    });
  });

  it("lets HR, the person, their reviewer and their unit's leaders read a person, nobody else", async () => {
    await expectCall(200, 'giang', 'GET', '/v1/people/hoa'); // her reviewer
    await expectCall(200, 'em', 'GET', '/v1/people/hoa'); // head of her unit
    await expectCall(403, 'hai', 'GET', '/v1/people/hoa'); // a colleague
    await expectCall(403, 'khanh', 'GET', '/v1/people/hoa'); // another unit's head
    await expectCall(404, 'dung', 'GET', '/v1/people/nobody');
    await expectCall(401, null, 'GET', '/v1/people/hoa');
  });

  it('records confidence votes (HR only), refusing bad ones without storing them', async () => {
    await expectCall(403, 'em', 'POST', '/v1/people/khanh/confidence-votes', { date: '2026-10-15', low: 3, total: 15 });
    const bad = await expectCall(400, 'dung', 'POST', '/v1/people/khanh/confidence-votes', {
      date: '2026-10-15',
      low: 16,
      total: 15,
    });
    expect(bad.error.details[0]).toMatchObject({ field: 'low' });
    await expectCall(404, 'dung', 'POST', '/v1/people/nobody/confidence-votes', {
      date: '2026-10-15',
      low: 3,
      total: 15,
    });
    expect(await s.sql`select 1 from confidence_votes`).toHaveLength(0);
    await expectCall(201, 'dung', 'POST', '/v1/people/khanh/confidence-votes', {
      date: '2026-10-15',
      low: 3,
      total: 15,
    });
    expect((await expectCall(200, 'dung', 'GET', '/v1/people/khanh')).confidenceVotes).toEqual([
      { date: '2026-10-15', low: 3, total: 15 },
    ]);
  });

  it('lists position changes due and overdue as proposals for HR, who may dismiss one with a note', async () => {
    await expectCall(403, 'em', 'GET', '/v1/proposals');
    const { proposals } = await expectCall(200, 'dung', 'GET', '/v1/proposals?status=open');
    const byPerson = Object.fromEntries(
      proposals.filter((p: any) => p.kind === 'position-change').map((p: any) => [p.personId, p]),
    );
    expect(byPerson.hoa).toMatchObject({
      level: 'overdue',
      evidence: { positionSince: dates.overdueSince, threshold: 60 },
    });
    expect(byPerson.ngoc).toMatchObject({ level: 'due', evidence: { positionSince: dates.dueSince, threshold: 24 } });
    // ngoc took the post 30 months before today (dates.dueSince), so the scan counts exactly 30.
    expect(byPerson.ngoc.evidence.months).toBe(30);
    await expectCall(403, 'ngoc', 'POST', `/v1/proposals/${byPerson.ngoc.id}/dismiss`, { note: 'x' });
    await expectCall(400, 'dung', 'POST', `/v1/proposals/${byPerson.ngoc.id}/dismiss`, {});
    await expectCall(404, 'dung', 'POST', '/v1/proposals/nothing/dismiss', { note: 'x' });
    expect(
      await expectCall(200, 'dung', 'POST', `/v1/proposals/${byPerson.ngoc.id}/dismiss`, {
        note: 'Vừa chuyển đổi nội bộ',
      }),
    ).toMatchObject({ status: 'dismissed', note: 'Vừa chuyển đổi nội bộ' });
    await expectCall(409, 'dung', 'POST', `/v1/proposals/${byPerson.ngoc.id}/dismiss`, { note: 'again' });
    // A scan (monthly, or on a directory change) does not bring a dismissed proposal back.
    await expectCall(200, 'dung', 'POST', '/v1/proposals/scan', {});
    expect(
      (await expectCall(200, 'dung', 'GET', '/v1/proposals?status=open')).proposals.map((p: any) => p.id),
    ).not.toContain(byPerson.ngoc.id);
  });

  it("refuses a case outside HR's rights, with bad input, or failing eligibility, naming each rule, and opens nothing", async () => {
    const move = { kind: 'transfer', personId: 'hai', toUnitId: 'snv', toRole: 'staff', effectiveDate: today };
    await expectCall(403, 'em', 'POST', '/v1/cases', move);
    const noTerm = await expectCall(400, 'dung', 'POST', '/v1/cases', { ...move, kind: 'rotation' });
    expect(noTerm.error.details.map((d: { field: string }) => d.field)).toContain('termMonths');
    expect(
      (await expectCall(400, 'dung', 'POST', '/v1/cases', { ...move, kind: 'promotion' })).error.details[0].field,
    ).toBe('kind');
    await expectCall(404, 'dung', 'POST', '/v1/cases', { ...move, personId: 'nobody' });
    expect(
      (await expectCall(400, 'dung', 'POST', '/v1/cases', { ...move, toUnitId: 'nowhere' })).error.details[0],
    ).toMatchObject({ field: 'toUnitId', rule: 'unknown-unit' });
    const deferred = await expectCall(422, 'dung', 'POST', '/v1/cases', move);
    expect(deferred.error.details).toMatchObject({ rule: 'eligibility', rules: ['deferral:pregnancy'] });
    const retiring = await expectCall(422, 'dung', 'POST', '/v1/cases', { ...move, personId: 'minh', toUnitId: 'sxd' });
    expect(retiring.error.details.rules).toEqual(['retirement-within-18-months']);
    const waiveRetirement = await expectCall(422, 'dung', 'POST', '/v1/cases', {
      ...move,
      personId: 'minh',
      toUnitId: 'sxd',
      waivers: [{ rule: 'retirement-within-18-months', note: 'tự nguyện' }],
    });
    expect(waiveRetirement.error.details.rules).toEqual(
      expect.arrayContaining(['retirement-within-18-months', 'waiver-not-allowed:retirement-within-18-months']),
    );
    expect((await expectCall(422, 'dung', 'POST', '/v1/cases', { ...move, toUnitId: 'sxd' })).error.details.rule).toBe(
      'no-change',
    );
    expect(
      (await expectCall(422, 'dung', 'POST', '/v1/cases', { ...move, personId: 'hoa', toRole: 'head' })).error.details,
    ).toMatchObject({ rule: 'head-post-occupied', headId: 'khanh' });
    expect(
      (await expectCall(422, 'dung', 'POST', '/v1/cases', { kind: 'replacement', personId: 'hoa', reason: 'x' })).error
        .details.rule,
    ).toBe('replacement-needs-leader');
    expect(
      (await expectCall(400, 'dung', 'POST', '/v1/cases', { kind: 'replacement', personId: 'em', reason: '  ' })).error
        .details[0].field,
    ).toBe('reason');
    await expectCall(404, 'dung', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'em',
      reason: 'x',
      proposalId: 'nothing',
    });
    expect(await caseCount()).toBe(0);
  });

  it("moves a person through a transfer, visible in GET /v1/people and in the next month's cycles", async () => {
    const body = {
      kind: 'transfer',
      personId: 'hai',
      toUnitId: 'snv',
      toRole: 'staff',
      effectiveDate: today,
      reason: 'Điều động theo nhu cầu công tác',
      waivers: [{ rule: 'deferral:pregnancy', note: 'Đương sự tự nguyện, đơn ngày 20/11' }],
    };
    const opened = await expectCall(201, 'dung', 'POST', '/v1/cases', body, { 'idempotency-key': 'open-hai' });
    // The same request again with its key: the same case, not a second one.
    expect((await expectCall(201, 'dung', 'POST', '/v1/cases', body, { 'idempotency-key': 'open-hai' })).id).toBe(
      opened.id,
    );
    expect(await caseCount()).toBe(1);
    expect(opened.request.waivers).toEqual([
      { rule: 'deferral:pregnancy', note: 'Đương sự tự nguyện, đơn ngày 20/11' },
    ]);
    await expectCall(409, 'dung', 'POST', '/v1/cases', body);
    const id = opened.id as string;

    // Who sees the case: HR, the person, those it asks to act; not a bystander.
    await expectCall(200, 'hai', 'GET', `/v1/cases/${id}`);
    await expectCall(403, 'minh', 'GET', `/v1/cases/${id}`);
    expect((await expectCall(200, 'em', 'GET', '/v1/cases?status=open')).cases.map((c: any) => c.id)).toEqual([id]);
    expect((await expectCall(200, 'minh', 'GET', '/v1/cases')).cases).toEqual([]);
    await expectCall(404, 'dung', 'GET', '/v1/cases/nothing');
    await expectCall(400, 'dung', 'GET', '/v1/cases?status=lost');

    await expectCall(400, 'em', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'maybe' });
    for (const who of ['em', 'khanh', 'hai'])
      await expectCall(200, who, 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await eventually('vote step', async () => (await s.call('dung', 'GET', `/v1/cases/${id}`)).body.step === 'vote');
    await expectCall(
      200,
      'binh',
      'POST',
      `/v1/cases/${id}/votes`,
      { vote: 'approve' },
      { 'idempotency-key': 'vote-binh' },
    );
    // A retried vote with its key is the same vote, not a second one (which would be refused).
    expect(
      (
        await expectCall(
          200,
          'binh',
          'POST',
          `/v1/cases/${id}/votes`,
          { vote: 'approve' },
          { 'idempotency-key': 'vote-binh' },
        )
      ).votes,
    ).toEqual({ approve: 1, reject: 0, of: 2 });
    await expectCall(409, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect((await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' })).status).toBe('approved');
    await expectCall(403, 'khanh', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(200, 'hai', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/receipt`, {});

    // The effective date is today: with both confirmations in, the directory moves at once.
    const done = await eventually('completed', async () => {
      const c = (await s.call('dung', 'GET', `/v1/cases/${id}`)).body;
      return c.status === 'completed' ? c : undefined;
    });
    expect(done.steps.map((st: any) => st.name)).toEqual([
      'opinion:sending-head',
      'opinion:receiving-head',
      'opinion:person',
      'vote',
      'decision',
      'handover',
      'receipt',
      'move',
    ]);
    expect(await expectCall(200, 'hai', 'GET', '/v1/people/hai')).toMatchObject({
      unitId: 'snv',
      role: 'staff',
      positionSince: today,
    });
    await expectCall(409, 'dung', 'POST', `/v1/cases/${id}/withdraw`, { note: 'too late' });

    const period = nextPeriod(today.slice(0, 7));
    const snv = await expectCall(201, 'admin', 'POST', '/v1/cycles', { unitId: 'snv', period });
    expect(snv.members.map((m: any) => m.personId)).toEqual(['hai', 'lan', 'minh', 'ngoc']);
    const sxd = await expectCall(201, 'admin', 'POST', '/v1/cycles', { unitId: 'sxd', period });
    expect(sxd.members.map((m: any) => m.personId)).toEqual(['giang', 'hoa']);
    const audit = await s.sql`select action from audit where subject = 'person:hai' order by id`;
    expect(audit.map((a) => a.action)).toEqual(['person.moved']);
  });

  it('describes every case and proposal route in the OpenAPI document', async () => {
    const doc = (await fetch(`${s.url}/openapi.json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/cases',
      '/v1/cases/{id}',
      '/v1/cases/{id}/opinions',
      '/v1/cases/{id}/votes',
      '/v1/cases/{id}/casting-vote',
      '/v1/cases/{id}/handover',
      '/v1/cases/{id}/receipt',
      '/v1/cases/{id}/explanation',
      '/v1/cases/{id}/proposal',
      '/v1/cases/{id}/review',
      '/v1/cases/{id}/withdraw',
      '/v1/proposals',
      '/v1/proposals/{id}/dismiss',
      '/v1/people/{id}',
      '/v1/people/{id}/confidence-votes',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
