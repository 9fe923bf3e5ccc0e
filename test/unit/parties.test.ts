import { describe, expect, it } from 'vitest';
import { partiesOf } from '../../domain/parties';
import { decidingUnitOf, leaderFor } from '../../domain/scope';
import type { Directory } from '../../domain/types';

// city ── dept-a ── ward-a1
//      └─ dept-b
const dir: Directory = {
  units: [
    { id: 'city', name: 'City', parentId: null },
    { id: 'a', name: 'Dept A', parentId: 'city' },
    { id: 'a1', name: 'Ward A1', parentId: 'a' },
    { id: 'b', name: 'Dept B', parentId: 'city' },
  ],
  people: [
    { id: 'mayor', fullName: 'M', unitId: 'city', role: 'head' },
    { id: 'vice', fullName: 'V', unitId: 'city', role: 'deputy' },
    { id: 'ahead', fullName: 'AH', unitId: 'a', role: 'head' },
    { id: 'adep', fullName: 'AD', unitId: 'a', role: 'deputy' },
    { id: 'astaff', fullName: 'AS', unitId: 'a', role: 'staff' },
    { id: 'a1staff', fullName: 'A1S', unitId: 'a1', role: 'staff' },
    { id: 'bhead', fullName: 'BH', unitId: 'b', role: 'head' },
    { id: 'bstaff', fullName: 'BS', unitId: 'b', role: 'staff' },
  ],
};

describe('decidingUnitOf', () => {
  it.each<[string, string, string | null, string]>([
    ['between sibling departments: their common parent', 'a', 'b', 'city'],
    ['ward up into its own department: the department is above the ward and is the destination', 'a1', 'a', 'a'],
    ['department down into its own ward: the parent above the department', 'a', 'a1', 'city'],
    ['ward across to another department: the city', 'a1', 'b', 'city'],
    ['within one department: its parent', 'b', 'b', 'city'],
    ['from the top unit: it decides for itself', 'city', 'a', 'city'],
    ['a replacement in a department: its parent', 'a', null, 'city'],
    ['a replacement in a ward: its department', 'a1', null, 'a'],
    ['a replacement at the top: the top itself', 'city', null, 'city'],
  ])('%s', (_what, from, to, expected) => {
    expect(decidingUnitOf(dir, from, to)).toBe(expected);
  });

  it('refuses an unknown unit', () => {
    expect(() => decidingUnitOf(dir, 'nowhere', null)).toThrow(RangeError);
  });
});

describe('leaderFor', () => {
  it.each<[string, string, string, string | null]>([
    ['the unit head speaks for a staff member', 'a', 'astaff', 'ahead'],
    ['for the head themself, the head above', 'a', 'ahead', 'mayor'],
    ['a ward without a head: the head above', 'a1', 'a1staff', 'ahead'],
    ['the top head has nobody above', 'city', 'mayor', null],
  ])('%s', (_what, unit, person, expected) => {
    expect(leaderFor(dir, unit, person)).toBe(expected);
  });
});

describe('partiesOf', () => {
  it('names the heads, the deciding collective with its chair, and a ladder per actor', () => {
    expect(partiesOf(dir, 'astaff', 'b')).toEqual({
      fromUnitId: 'a',
      fromRole: 'staff',
      sendingHeadId: 'ahead',
      receivingHeadId: 'bhead',
      decidingUnitId: 'city',
      collective: ['mayor', 'vice'],
      chairId: 'mayor',
      ladders: {
        astaff: ['ahead', 'mayor', 'hr'],
        ahead: ['mayor', 'hr'],
        bhead: ['mayor', 'hr'],
        mayor: ['hr'],
        vice: ['mayor', 'hr'],
      },
    });
  });

  it('has no sending or receiving head for a replacement', () => {
    expect(partiesOf(dir, 'ahead', null)).toMatchObject({
      sendingHeadId: null,
      receivingHeadId: null,
      decidingUnitId: 'city',
      chairId: 'mayor',
    });
  });

  it('keeps the person out of the collective deciding their own case, and out of its chair', () => {
    expect(partiesOf(dir, 'vice', null)).toMatchObject({
      decidingUnitId: 'city',
      collective: ['mayor'],
      chairId: 'mayor',
    });
    expect(partiesOf(dir, 'mayor', null)).toMatchObject({
      decidingUnitId: 'city',
      collective: ['vice'],
      chairId: null,
    });
  });

  it('refuses an unknown person', () => {
    expect(() => partiesOf(dir, 'ghost', null)).toThrow(RangeError);
  });
});

describe("partiesOf with the deciding unit's head post vacant", () => {
  it('has no chair', () => {
    const vacant: Directory = { ...dir, people: dir.people.filter((x) => x.id !== 'mayor') };
    const parties = partiesOf(vacant, 'astaff', 'b');
    expect(parties.decidingUnitId).toBe('city');
    expect(parties.chairId).toBeNull();
    expect(parties.collective).toEqual(['vice']);
  });
});
