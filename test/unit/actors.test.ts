import { describe, expect, it } from 'vitest';
import { isReservedActorId, reservedIdIssues } from '../../domain/actors';

describe('reserved actor ids', () => {
  it.each<[string, boolean]>([
    ['hr', true],
    ['admin', true],
    ['ballot-box', true],
    ['system', true],
    ['token:0123abcd', true],
    ['token:', true],
    ['HR', false], // ids are compared exactly: 'HR' is nobody's actor
    ['hrm', false],
    ['tokens', false],
    ['an', false],
  ])('%s: %s', (id, reserved) => expect(isReservedActorId(id)).toBe(reserved));

  it('names each reserved person by its index in the upload', () => {
    expect(reservedIdIssues([{ id: 'an' }, { id: 'hr' }, { id: 'token:x' }])).toEqual([
      expect.objectContaining({ field: 'people.1.id', rule: 'reserved' }),
      expect.objectContaining({ field: 'people.2.id', rule: 'reserved' }),
    ]);
    expect(reservedIdIssues([{ id: 'an' }])).toEqual([]);
  });
});
