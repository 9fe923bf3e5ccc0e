/**
 * The proposal scans on a real PostgreSQL: a cycle's publication snapshot fires a leader's
 * replacement trigger, and the monthly scan lists position changes due and overdue, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { SaveCycleInput } from '../../contracts/snapshots';
import { upsertDirectory } from '../../db/directory';
import { scanReplacementTriggers } from '../../db/proposals';
import { DEFAULT_CASE_RULES } from '../../domain/cases';
import { DEFAULT_RULES } from '../../domain/config';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { freshDatabase, type FreshDatabase } from '../support/db';

describe('proposal scans', () => {
  let db: FreshDatabase;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    db = await freshDatabase('proposal-scans');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    activities = createActivities({ sql: db.sql });
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The snapshot a cycle of `hn` writes when it publishes, with `grades` as the members' final grades. */
  function published(period: string, version: number, grades: Record<string, 'A' | 'B' | 'C' | 'D'>): SaveCycleInput {
    const members = Object.keys(grades).map((personId) => ({ personId, reviewerId: null }));
    return {
      workflowId: `cycle:hn:${period}`,
      version,
      view: {
        unitId: 'hn',
        period,
        phase: 'published',
        profileId: 'HN-2023',
        deadlines: { plan: '', selfAssessment: '', review: '', deliberation: '' },
        headId: 'an',
        collective: ['an', 'binh'],
        outstanding: false,
        deliberation: null,
        publishedAt: `${period}-28T10:00:00+07:00`,
        complaintWindowEndsAt: null,
      },
      members,
      finals: Object.entries(grades).map(([personId, finalGrade]) => ({ personId, finalGrade, caps: [] })),
      seedEvaluations: true,
      complaints: [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    };
  }

  const replacementProposals = () =>
    db.sql<{ id: string; personId: string; level: string; evidence: { periods: string[] } }[]>`
      select id, person_id, level, evidence from proposals where kind = 'replacement' order by id`;

  const proposalTrail = () =>
    db.sql<{ action: string; actor: string; subject: string; personId: string | null }[]>`
      select action, actor, subject, payload->>'personId' as person_id from audit
      where subject like 'proposal:%' order by id`;

  it('proposes replacing a leader once a publication makes two D months in a row, and only then', async () => {
    await activities.saveCycle(published('2025-01', 1, { em: 'D', khanh: 'B', hai: 'D' }));
    expect(await replacementProposals()).toEqual([]);
    await activities.saveCycle(published('2025-02', 1, { em: 'D', khanh: 'D', hai: 'D' }));
    const found = await replacementProposals();
    // em, a head, is proposed with the two months as evidence; khanh has one D; hai is not a leader.
    expect(found).toEqual([
      expect.objectContaining({
        personId: 'em',
        level: 'monthly-d-2-consecutive',
        evidence: expect.objectContaining({ periods: ['2025-01', '2025-02'] }),
      }),
    ]);
    // A retried snapshot finds the same proposal.
    await activities.saveCycle(published('2025-02', 2, { em: 'D', khanh: 'D', hai: 'D' }));
    expect(await replacementProposals()).toHaveLength(1);
    // Raised once, by the system, in the trail.
    expect(await proposalTrail()).toEqual([
      { action: 'proposal.raised', actor: 'system', subject: `proposal:${found[0].id}`, personId: 'em' },
    ]);
  });

  it('lists position changes due at 24 months and overdue at 60, superseding the due one', async () => {
    await db.sql`update people set sensitive_position = true, position_since = '2020-01-01' where id = 'minh'`;
    await activities.scanProposals({ onDate: '2021-12-31' });
    expect(await db.sql`select id from proposals where kind = 'position-change'`).toEqual([]);
    await activities.scanProposals({ onDate: '2022-01-01' });
    await activities.scanProposals({ onDate: '2022-01-15' });
    expect(await db.sql`select level, status from proposals where kind = 'position-change'`).toEqual([
      { level: 'due', status: 'open' },
    ]);
    await activities.scanProposals({ onDate: '2025-01-01' });
    expect(await db.sql`select level, status from proposals where kind = 'position-change' order by level`).toEqual([
      { level: 'due', status: 'dismissed' },
      { level: 'overdue', status: 'open' },
    ]);
    const minh = (await proposalTrail()).filter((a) => a.personId === 'minh' || a.subject.includes(':minh:'));
    expect(minh.map((a) => [a.action, a.subject])).toEqual([
      ['proposal.raised', 'proposal:position-change:minh:2020-01-01:due'],
      ['proposal.superseded', 'proposal:position-change:minh:2020-01-01:due'],
      ['proposal.raised', 'proposal:position-change:minh:2020-01-01:overdue'],
    ]);
  });

  it('reports a leader whose record it cannot read, and still scans everyone else', async () => {
    await db.sql`insert into cycles (unit_id, period, workflow_id, phase, profile_id, deadlines, published_at, version)
      values ('snv', 'bad-period', 'cycle:snv:bad', 'locked', 'HN-2023', '{}', now(), 1)`;
    await db.sql`insert into evaluations (period, person_id, unit_id, workflow_id, status, total, final_grade, deadlines, version)
      values ('bad-period', 'lan', 'snv', 'eval:bad:lan', 'decided', 40, 'D', '{}', 1)`;
    const result = await scanReplacementTriggers(db.sql, DEFAULT_CASE_RULES, DEFAULT_RULES);
    expect(result.failed).toEqual([{ leaderId: 'lan', error: expect.stringMatching(/year|period/) }]);
    // Every head and deputy of the demo directory (an, binh, em, giang, khanh, lan), the unreadable one included.
    expect(result.leaders).toBe(6);
    expect((await replacementProposals()).map((p) => p.personId)).toEqual(['em']);
  });
});
