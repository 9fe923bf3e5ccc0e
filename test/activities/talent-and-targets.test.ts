/**
 * Talent proposals and unit targets on a real PostgreSQL: the monthly scan proposes a person with
 * ten A months of twelve once per window (never one disciplined in it), and a head whose unit met
 * less than 70% of its targets is proposed for replacement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { SaveCycleInput } from '../../contracts/snapshots';
import { upsertDirectory } from '../../db/directory';
import { dismissProposal, scanReplacementTriggers } from '../../db/proposals';
import { putUnitTargets } from '../../db/targets';
import { DEFAULT_CASE_RULES } from '../../domain/cases';
import { DEFAULT_RULES } from '../../domain/config';
import { targetCompletion, type UnitTarget } from '../../domain/targets';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { freshDatabase, type FreshDatabase } from '../support/db';

const MONTHS_2024 = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);

describe('talent proposals and unit targets', () => {
  let db: FreshDatabase;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    db = await freshDatabase('talent-targets');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    activities = createActivities({ sql: db.sql });
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A published month of `sxd` with `grades` as the members' final grades. */
  function published(period: string, grades: Record<string, 'A' | 'B' | 'C' | 'D'>): SaveCycleInput {
    return {
      workflowId: `cycle:sxd:${period}`,
      version: 1,
      view: {
        unitId: 'sxd',
        period,
        phase: 'published',
        profileId: 'HN-2023',
        deadlines: { plan: '', selfAssessment: '', review: '', deliberation: '' },
        headId: 'em',
        collective: ['em', 'giang'],
        outstanding: false,
        deliberation: null,
        publishedAt: `${period}-28T10:00:00+07:00`,
        complaintWindowEndsAt: null,
      },
      members: Object.keys(grades).map((personId) => ({ personId, reviewerId: null })),
      finals: Object.entries(grades).map(([personId, finalGrade]) => ({ personId, finalGrade, caps: [] })),
      seedEvaluations: true,
      complaints: [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    };
  }

  const talent = () =>
    db.sql<
      { id: string; personId: string; status: string; evidence: { from: string; to: string; aMonths: string[] } }[]
    >`
      select id, person_id, status, evidence from proposals where kind = 'talent' order by id`;

  it('proposes ten A months of twelve once per window, and never someone disciplined in it', async () => {
    // hai: A except March and August; hoa: the same, but disciplined in June.
    for (const [i, period] of MONTHS_2024.entries()) {
      const g = i === 2 || i === 7 ? 'B' : 'A';
      await activities.saveCycle(published(period, { hai: g, hoa: g, giang: i < 9 ? 'A' : 'B' }));
    }
    await db.sql`insert into discipline (person_id, date, level) values ('hoa', '2024-06-10', 'reprimand')`;
    const first = await activities.scanProposals({ onDate: '2025-01-01' });
    expect(first.talent).toBe(1);
    const found = await talent();
    expect(found).toEqual([
      expect.objectContaining({
        id: 'talent:hai:2024-01:2024-12',
        personId: 'hai',
        status: 'open',
        evidence: expect.objectContaining({ from: '2024-01', to: '2024-12' }),
      }),
    ]);
    expect(found[0].evidence.aMonths).toHaveLength(10);
    // The same scan again, and a month later with the window slid by one: nothing new.
    expect((await activities.scanProposals({ onDate: '2025-01-01' })).talent).toBe(0);
    await activities.saveCycle(published('2025-01', { hai: 'A', hoa: 'A', giang: 'B' }));
    expect((await activities.scanProposals({ onDate: '2025-02-01' })).talent).toBe(0);
    expect(await talent()).toHaveLength(1);
    // Dismissed like the others, and audited.
    expect(await dismissProposal(db.sql, found[0].id, 'Đã đưa vào quy hoạch', 'dung')).toBe(true);
    expect((await talent())[0].status).toBe('dismissed');
    const trail = await db.sql<{ action: string }[]>`
      select action from audit where subject = ${`proposal:${found[0].id}`} order by id`;
    expect(trail.map((a) => a.action)).toEqual(['proposal.raised', 'proposal.dismissed']);
  });

  it('proposes replacing a head whose unit met less than 70% of its targets, not one at exactly 70%', async () => {
    const targets = (share: number): UnitTarget[] => [
      { name: 'Giải ngân vốn đầu tư', weight: 2, planned: 100, achieved: share * 100 },
      { name: 'Cải cách hành chính', weight: 1, completion: share * 100 },
    ];
    const low = targets(0.6);
    const exact = targets(0.7);
    await putUnitTargets(
      db.sql,
      [
        { unitId: 'sxd', period: '2025-03', targets: low, completion: targetCompletion(low) },
        { unitId: 'snv', period: '2025-03', targets: exact, completion: targetCompletion(exact) },
      ],
      'dung',
    );
    await scanReplacementTriggers(db.sql, DEFAULT_CASE_RULES, DEFAULT_RULES, ['em', 'giang', 'khanh', 'lan']);
    const proposals = await db.sql<{ personId: string; evidence: { share: number; period: string; unitId: string } }[]>`
      select person_id, evidence from proposals where kind = 'replacement' and level = 'unit-targets-below-70'`;
    // em heads sxd; giang, its deputy, does not answer for the unit's targets; khanh's snv met exactly 70%.
    expect(proposals).toEqual([
      { personId: 'em', evidence: expect.objectContaining({ share: 0.6, period: '2025-03', unitId: 'sxd' }) },
    ]);
    // A repeated scan finds the same proposal.
    await scanReplacementTriggers(db.sql, DEFAULT_CASE_RULES, DEFAULT_RULES, ['em']);
    expect(
      await db.sql`select id from proposals where kind = 'replacement' and level = 'unit-targets-below-70'`,
    ).toHaveLength(1);
  });
});
