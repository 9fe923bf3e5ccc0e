import { describe, expect, it } from 'vitest';
import {
  collectiveOf,
  decidingUnitOf,
  duplicatesIn,
  escalationLadder,
  headOf,
  ledBy,
  membersSettledBy,
  readsPersonRecord,
  reviewerOf,
  settledBy,
  mergeDirectory,
  topUnitOf,
  validateDirectory,
} from '../../domain/scope';
import type { Directory, Person, Role } from '../../domain/types';

const p = (id: string, unitId: string, role: Role, reviewerId?: string): Person => ({
  id,
  fullName: id,
  unitId,
  role,
  reviewerId: reviewerId ?? null,
});

// city ─┬─ dept-a ── ward-1
//       └─ dept-b (head post vacant)
const dir: Directory = {
  units: [
    { id: 'city', name: 'Thành phố', parentId: null },
    { id: 'dept-a', name: 'Sở A', parentId: 'city' },
    { id: 'dept-b', name: 'Sở B', parentId: 'city' },
    { id: 'ward-1', name: 'Phường 1', parentId: 'dept-a' },
  ],
  people: [
    p('c-head', 'city', 'head'),
    p('c-dep1', 'city', 'deputy'),
    p('c-staff1', 'city', 'staff'),
    p('a-head', 'dept-a', 'head'),
    p('a-dep2', 'dept-a', 'deputy'),
    p('a-dep1', 'dept-a', 'deputy'),
    p('a-s1', 'dept-a', 'staff', 'a-dep1'), // deputy named as reviewer
    p('a-s2', 'dept-a', 'staff'),
    p('a-s3', 'dept-a', 'staff', 'c-dep1'), // deputy of another unit: ignored
    p('a-s4', 'dept-a', 'staff', 'a-s2'), // a staff member: ignored
    p('b-dep1', 'dept-b', 'deputy'),
    p('b-s1', 'dept-b', 'staff'),
    p('w-head', 'ward-1', 'head'),
    p('w-s1', 'ward-1', 'staff'),
  ],
};

describe('headOf / topUnitOf', () => {
  it.each<[string, string | undefined, string]>([
    ['city', 'c-head', 'city'],
    ['dept-a', 'a-head', 'city'],
    ['dept-b', undefined, 'city'],
    ['ward-1', 'w-head', 'city'],
  ])('%s: head %s, top %s', (unitId, head, top) => {
    expect(headOf(dir, unitId)?.id).toBe(head);
    expect(topUnitOf(dir, unitId).id).toBe(top);
  });

  it('topUnitOf throws on an unknown unit or a cycle', () => {
    expect(() => topUnitOf(dir, 'nope')).toThrow(RangeError);
    const loop: Directory = {
      units: [
        { id: 'x', name: 'x', parentId: 'y' },
        { id: 'y', name: 'y', parentId: 'x' },
      ],
      people: [],
    };
    expect(() => topUnitOf(loop, 'x')).toThrow(RangeError);
  });
});

describe('reviewerOf', () => {
  it.each<[string, string | null]>([
    ['a-s1', 'a-dep1'],
    ['a-s2', 'a-head'],
    ['a-s3', 'a-head'],
    ['a-s4', 'a-head'],
    ['a-dep1', 'a-head'],
    ['a-head', 'c-head'],
    ['w-s1', 'w-head'],
    ['w-head', 'a-head'],
    ['c-dep1', 'c-head'],
    ['c-staff1', 'c-head'],
    ['c-head', null],
    ['b-dep1', 'c-head'], // vacant head: nearest head above
    ['b-s1', 'c-head'],
  ])('%s -> %s', (person, reviewer) => {
    expect(reviewerOf(dir, person)).toBe(reviewer);
  });

  it('throws on an unknown person', () => expect(() => reviewerOf(dir, 'ghost')).toThrow(RangeError));
});

describe('readsPersonRecord', () => {
  it.each<[string, string, boolean]>([
    ['a-s1', 'a-s1', true], // the person
    ['a-dep1', 'a-s1', true], // the named reviewer
    ['a-head', 'a-s1', true], // the unit's head
    ['a-dep2', 'a-s1', false], // another deputy of the unit
    ['a-s2', 'a-s1', false], // a peer
    ['c-head', 'a-s1', false], // the head above reads staff only through their own reports
    ['c-head', 'a-head', true], // a head's reviewer is the superior head
    ['a-dep1', 'a-head', false], // a deputy does not read their own head
    ['a-dep1', 'a-dep2', false], // nor a peer deputy
    ['a-head', 'a-dep2', true],
    ['w-head', 'a-head', false], // a subordinate unit's head does not read upward
    ['c-head', 'b-s1', true], // vacant head post: the head above reviews
    ['b-dep1', 'b-s1', false],
  ])('%s reads %s: %s', (reader, person, reads) => {
    expect(readsPersonRecord(dir, reader, person)).toBe(reads);
  });

  it('throws on an unknown person', () => expect(() => readsPersonRecord(dir, 'c-head', 'ghost')).toThrow(RangeError));
});

describe('settledBy / membersSettledBy / collectiveOf', () => {
  it.each<[string, string]>([
    ['a-s1', 'dept-a'],
    ['a-dep1', 'dept-a'],
    ['a-head', 'city'],
    ['w-head', 'dept-a'],
    ['w-s1', 'ward-1'],
    ['c-head', 'city'],
    ['c-dep1', 'city'],
  ])('settledBy(%s) = %s', (person, unit) => {
    expect(settledBy(dir, person)).toBe(unit);
  });

  it.each<[string, string[]]>([
    ['city', ['a-head', 'c-dep1', 'c-head', 'c-staff1']],
    ['dept-a', ['a-dep1', 'a-dep2', 'a-s1', 'a-s2', 'a-s3', 'a-s4', 'w-head']],
    ['dept-b', ['b-dep1', 'b-s1']],
    ['ward-1', ['w-s1']],
  ])('membersSettledBy(%s)', (unit, ids) => {
    expect(membersSettledBy(dir, unit).map((x) => x.id)).toEqual(ids);
  });

  it('agrees with settledBy for everyone', () => {
    for (const person of dir.people) {
      expect(membersSettledBy(dir, settledBy(dir, person.id)).map((x) => x.id)).toContain(person.id);
    }
  });

  it.each<[string, string[]]>([
    ['city', ['c-head', 'c-dep1']],
    ['dept-a', ['a-head', 'a-dep1', 'a-dep2']],
    ['dept-b', ['b-dep1']],
    ['ward-1', ['w-head']],
  ])('collectiveOf(%s)', (unit, ids) => {
    expect(collectiveOf(dir, unit)).toEqual(ids);
  });
});

describe('escalationLadder', () => {
  it.each<[string, string[]]>([
    ['w-s1', ['w-head', 'a-head', 'c-head', 'hr']],
    ['a-s1', ['a-dep1', 'a-head', 'c-head', 'hr']],
    ['a-head', ['c-head', 'hr']],
    ['c-dep1', ['c-head', 'hr']],
    ['c-head', ['hr']],
    ['b-s1', ['c-head', 'hr']],
  ])('%s -> %j', (person, ladder) => {
    expect(escalationLadder(dir, person)).toEqual(ladder);
  });
});

describe('ledBy', () => {
  it.each<[string, string[]]>([
    ['a-head', ['a-dep1', 'a-dep2', 'a-s1', 'a-s2', 'a-s3', 'a-s4']],
    ['a-dep1', ['a-s1']],
    ['a-dep2', []],
    ['w-head', ['w-s1']],
    ['a-s1', []],
  ])('%s leads %j', (leader, ids) => {
    expect(ledBy(dir, leader)).toEqual(ids);
  });
});

describe('validateDirectory', () => {
  const base: Directory = {
    units: [
      { id: 'top', name: 'Top', parentId: null },
      { id: 'child', name: 'Child', parentId: 'top' },
    ],
    people: [p('h', 'top', 'head'), p('d', 'top', 'deputy'), p('s', 'top', 'staff', 'd'), p('ch', 'child', 'head')],
  };
  const withUnits = (...units: Directory['units']): Directory => ({ ...base, units: [...base.units, ...units] });
  const withPeople = (...people: Person[]): Directory => ({ ...base, people: [...base.people, ...people] });

  it('accepts a sound directory', () => expect(validateDirectory(base)).toEqual([]));

  it.each<[string, Directory, [string, string][]]>([
    ['duplicate unit id', withUnits({ id: 'child', name: 'again', parentId: 'top' }), [['units[2].id', 'duplicate']]],
    ['duplicate person id', withPeople(p('s', 'top', 'staff')), [['people[4].id', 'duplicate']]],
    [
      'unknown parent',
      withUnits({ id: 'orphan', name: 'o', parentId: 'nowhere' }),
      [['units[2].parentId', 'unknown-parent']],
    ],
    [
      'parent cycle',
      withUnits({ id: 'x', name: 'x', parentId: 'y' }, { id: 'y', name: 'y', parentId: 'x' }),
      [
        ['units[2].parentId', 'parent-cycle'],
        ['units[3].parentId', 'parent-cycle'],
      ],
    ],
    ['self parent', withUnits({ id: 'z', name: 'z', parentId: 'z' }), [['units[2].parentId', 'parent-cycle']]],
    ['unknown unit', withPeople(p('lost', 'atlantis', 'staff')), [['people[4].unitId', 'unknown-unit']]],
    ['two heads', withPeople(p('h2', 'top', 'head')), [['people[4].role', 'two-heads']]],
    ['unknown reviewer', withPeople(p('s2', 'top', 'staff', 'ghost')), [['people[4].reviewerId', 'unknown-reviewer']]],
    [
      'reviewer cycle',
      withPeople(p('s2', 'top', 'staff', 's3'), p('s3', 'top', 'staff', 's2')),
      [
        ['people[4].reviewerId', 'reviewer-cycle'],
        ['people[5].reviewerId', 'reviewer-cycle'],
      ],
    ],
    [
      'subtree hanging off a parent loop (only the loop is blamed)',
      withUnits(
        { id: 'x', name: 'x', parentId: 'y' },
        { id: 'y', name: 'y', parentId: 'x' },
        { id: 'leaf', name: 'leaf', parentId: 'x' },
      ),
      [
        ['units[2].parentId', 'parent-cycle'],
        ['units[3].parentId', 'parent-cycle'],
      ],
    ],
    ['self reviewer', withPeople(p('s2', 'top', 'deputy', 's2')), [['people[4].reviewerId', 'reviewer-cycle']]],
    [
      'reviewer chain running into a loop (only the loop is blamed)',
      withPeople(p('d2', 'top', 'deputy', 'd3'), p('d3', 'top', 'deputy', 'd2'), p('s4', 'top', 'staff', 'd2')),
      [
        ['people[4].reviewerId', 'reviewer-cycle'],
        ['people[5].reviewerId', 'reviewer-cycle'],
      ],
    ],
    [
      'person id used three times',
      withPeople(p('s', 'top', 'staff'), p('s', 'top', 'staff')),
      [
        ['people[4].id', 'duplicate'],
        ['people[5].id', 'duplicate'],
      ],
    ],
    [
      'reviewer of another unit',
      withPeople(p('cs', 'child', 'staff', 'd')),
      [['people[4].reviewerId', 'reviewer-not-leader']],
    ],
    [
      'reviewer who is staff',
      withPeople(p('s2', 'top', 'staff', 's')),
      [['people[4].reviewerId', 'reviewer-not-leader']],
    ],
  ])('%s', (_name, directory, expected) => {
    const issues = validateDirectory(directory);
    expect(issues.map((i) => [i.field, i.rule])).toEqual(expected);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
  });

  it('reports the two fixture misconfigurations of the main directory', () => {
    expect(validateDirectory(dir).map((i) => [i.field, i.rule])).toEqual([
      ['people[8].reviewerId', 'reviewer-not-leader'],
      ['people[9].reviewerId', 'reviewer-not-leader'],
    ]);
  });
});

describe('validateDirectory at city scale', () => {
  it('stays linear on 50,000 units in one chain and 50,000 deputies each naming the next as reviewer', () => {
    const n = 50_000;
    const units = Array.from({ length: n }, (_, i) => ({
      id: `u${i}`,
      name: `u${i}`,
      parentId: i === 0 ? null : `u${i - 1}`,
    }));
    const people = Array.from({ length: n }, (_, i) => p(`d${i}`, 'u0', 'deputy', i + 1 < n ? `d${i + 1}` : undefined));
    // The last deputy names the first: one loop through all of them, the longest walk there is.
    people[n - 1] = p(`d${n - 1}`, 'u0', 'deputy', 'd0');
    const started = process.cpuUsage();
    const issues = validateDirectory({ units, people });
    const cpu = process.cpuUsage(started);
    expect(issues).toHaveLength(n);
    expect(issues.every((i) => i.rule === 'reviewer-cycle')).toBe(true);
    // Quadratic walks took seconds here (1.25e9 steps); linear ones take tens of milliseconds.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
  });
});

describe('duplicatesIn', () => {
  const unit = (id: string) => ({ id, name: id, parentId: null });
  it.each<[string, Directory, [string, string][]]>([
    ['none', { units: [unit('a'), unit('b')], people: [p('x', 'a', 'staff'), p('y', 'a', 'staff')] }, []],
    ['a unit twice', { units: [unit('a'), unit('a')], people: [] }, [['units', 'unit a appears twice']]],
    [
      'a person three times, reported once',
      { units: [], people: [p('x', 'a', 'staff'), p('x', 'a', 'staff'), p('x', 'b', 'head')] },
      [['people', 'person x appears twice']],
    ],
    [
      'both',
      {
        units: [unit('a'), unit('b'), unit('a')],
        people: [p('y', 'a', 'staff'), p('x', 'a', 'staff'), p('y', 'a', 'staff')],
      },
      [
        ['units', 'unit a appears twice'],
        ['people', 'person y appears twice'],
      ],
    ],
  ])('%s', (_name, upload, expected) => {
    const issues = duplicatesIn(upload);
    expect(issues.map((i) => [i.field, i.message])).toEqual(expected);
    expect(issues.every((i) => i.rule === 'duplicate')).toBe(true);
  });

  it('stays linear on 500,000 distinct people', () => {
    const people = Array.from({ length: 500_000 }, (_, i) => p(`x${i}`, 'a', 'staff'));
    const started = process.cpuUsage();
    expect(duplicatesIn({ units: [], people })).toEqual([]);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
  });
});

describe('mergeDirectory', () => {
  const stored: Directory = {
    units: [{ id: 'a', name: 'A', parentId: null, active: false }],
    people: [{ id: 'x', fullName: 'X', unitId: 'a', role: 'staff', email: 'x@a.vn', reviewerId: 'y' }],
  };
  it.each<[string, Directory, Directory]>([
    [
      'an omitted field keeps what is stored',
      {
        units: [{ id: 'a', name: 'A2', parentId: null }],
        people: [{ id: 'x', fullName: 'X2', unitId: 'a', role: 'staff' }],
      },
      {
        units: [{ id: 'a', name: 'A2', parentId: null, active: false }],
        people: [{ id: 'x', fullName: 'X2', unitId: 'a', role: 'staff', email: 'x@a.vn', reviewerId: 'y' }],
      },
    ],
    [
      'null clears, a named value replaces',
      {
        units: [{ id: 'a', name: 'A', parentId: null, active: true }],
        people: [{ id: 'x', fullName: 'X', unitId: 'a', role: 'staff', email: null, reviewerId: null }],
      },
      {
        units: [{ id: 'a', name: 'A', parentId: null, active: true }],
        people: [{ id: 'x', fullName: 'X', unitId: 'a', role: 'staff', email: null, reviewerId: null }],
      },
    ],
    [
      'a new row takes the defaults, after the stored ones',
      {
        units: [{ id: 'b', name: 'B', parentId: 'a' }],
        people: [{ id: 'w', fullName: 'W', unitId: 'b', role: 'head' }],
      },
      {
        units: [stored.units[0], { id: 'b', name: 'B', parentId: 'a', active: true }],
        people: [
          stored.people[0],
          { id: 'w', fullName: 'W', unitId: 'b', role: 'head', email: null, reviewerId: null },
        ],
      },
    ],
  ])('%s', (_name, upload, expected) => {
    expect(mergeDirectory(stored, upload)).toEqual(expected);
  });
});

describe('scope: deeper trees, broken chains and input order', () => {
  // city ─ dept ─ ward ─ team, dept's and ward's head posts vacant; a tail unit hanging off a loop.
  const deep: Directory = {
    units: [
      { id: 'team', name: 'Team', parentId: 'ward' },
      { id: 'ward', name: 'Ward', parentId: 'dept' },
      { id: 'ward-2', name: 'Ward 2', parentId: 'dept' },
      { id: 'dept', name: 'Dept', parentId: 'city' },
      { id: 'city', name: 'City', parentId: null },
      { id: 'other-top', name: 'Other tree', parentId: null },
    ],
    people: [
      p('t-head', 'team', 'head'),
      p('c-head', 'city', 'head'),
      p('w-dep2', 'ward', 'deputy'),
      p('w-dep1', 'ward', 'deputy', 'w-dep2'), // a deputy's named reviewer is not used
      p('w-s3', 'ward', 'staff', 'w-dep1'),
      p('w-s2', 'ward', 'staff', 'w-dep1'),
      p('w-s1', 'ward', 'staff', 'ghost'), // names nobody: their unit's chain decides
      p('lost', 'nowhere', 'staff'),
    ],
  };
  const looped: Directory = {
    units: [
      { id: 'tail', name: 'Tail', parentId: 'x' },
      { id: 'x', name: 'X', parentId: 'y' },
      { id: 'y', name: 'Y', parentId: 'x' },
    ],
    people: [p('x-head', 'x', 'head')],
  };

  it('skips every vacant post above a head', () => {
    expect(reviewerOf(deep, 't-head')).toBe('c-head');
    expect(escalationLadder(deep, 't-head')).toEqual(['c-head', 'hr']);
  });

  it('ignores a named reviewer for a deputy, and an unknown one for staff', () => {
    expect(reviewerOf(deep, 'w-dep1')).toBe('c-head');
    expect(reviewerOf(deep, 'w-s1')).toBe('c-head');
  });

  it('a deputy leads the staff who name them, sorted by id', () => {
    expect(ledBy(deep, 'w-dep1')).toEqual(['w-s2', 'w-s3']);
    expect(ledBy(deep, 'w-dep2')).toEqual([]);
  });

  it('sorts the collective and the members settled by id, whatever the input order', () => {
    expect(collectiveOf(deep, 'ward')).toEqual(['w-dep1', 'w-dep2']);
    expect(membersSettledBy(deep, 'ward').map((x) => x.id)).toEqual([
      't-head',
      'w-dep1',
      'w-dep2',
      'w-s1',
      'w-s2',
      'w-s3',
    ]);
  });

  it('leaves out a person whose unit is unknown, and refuses an unknown unit', () => {
    expect(membersSettledBy(deep, 'dept').map((x) => x.id)).toEqual([]);
    expect(() => membersSettledBy(deep, 'nowhere')).toThrow(new RangeError("unknown unit 'nowhere'"));
  });

  it('the deciding unit is the lowest one above the person that contains the destination', () => {
    expect(decidingUnitOf(deep, 'team', 'ward-2')).toBe('dept');
    expect(decidingUnitOf(deep, 'team', 'ward')).toBe('ward');
    expect(decidingUnitOf(deep, 'team', 'other-top')).toBe('city');
  });

  it('finds a loop that the walk enters from a tail, and names where it closes', () => {
    expect(() => topUnitOf(looped, 'tail')).toThrow(new RangeError("parent cycle through unit 'x'"));
    expect(() => decidingUnitOf(looped, 'tail', null)).toThrow(new RangeError("parent cycle through unit 'x'"));
    expect(() => decidingUnitOf(looped, 'x', null)).toThrow(new RangeError("parent cycle through unit 'x'"));
    expect(() => reviewerOf(looped, 'x-head')).toThrow(new RangeError("parent cycle through unit 'x'"));
  });

  it('finds a loop above a head when no unit on the loop has a head', () => {
    const headless: Directory = { units: looped.units, people: [p('t-head', 'tail', 'head')] };
    expect(() => reviewerOf(headless, 't-head')).toThrow(new RangeError("parent cycle through unit 'x'"));
  });

  it('a loop is reported once per unit on it, and a repeated id is reported as a duplicate only', () => {
    const dup: Directory = {
      units: [
        { id: 'x', name: 'X', parentId: 'y' },
        { id: 'y', name: 'Y', parentId: 'x' },
        { id: 'x', name: 'X again', parentId: 'y' },
      ],
      people: [p('a', 'x', 'head', 'b'), p('b', 'x', 'deputy', 'a'), p('a', 'x', 'deputy', 'b')],
    };
    expect(validateDirectory(dup).map((i) => `${i.field} ${i.rule}`)).toEqual([
      'units[2].id duplicate',
      'people[2].id duplicate',
      'units[0].parentId parent-cycle',
      'units[1].parentId parent-cycle',
      'people[0].reviewerId reviewer-cycle',
      'people[1].reviewerId reviewer-cycle',
    ]);
  });

  it('checks the named reviewer of staff only', () => {
    const odd: Directory = {
      units: [
        { id: 'u', name: 'U', parentId: null },
        { id: 'v', name: 'V', parentId: null },
      ],
      people: [p('u-head', 'u', 'head'), p('u-dep', 'u', 'deputy', 'v-head'), p('v-head', 'v', 'head')],
    };
    expect(validateDirectory(odd)).toEqual([]);
  });
});
