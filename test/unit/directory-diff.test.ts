import { describe, expect, it } from 'vitest';
import { diffDirectory } from '../../domain/directory-diff';
import type { Directory } from '../../domain/types';

const stored: Directory = {
  units: [
    { id: 'hn', name: 'Hà Nội', parentId: null, active: true },
    { id: 'snv', name: 'Sở Nội vụ', parentId: 'hn', active: true },
  ],
  people: [
    { id: 'an', fullName: 'Nguyễn Văn An', unitId: 'hn', role: 'head', email: null, reviewerId: null },
    { id: 'minh', fullName: 'Trần Minh', unitId: 'snv', role: 'staff', email: 'minh@x.vn', reviewerId: null },
  ],
};

describe('diffDirectory', () => {
  it.each<[string, Directory, ReturnType<typeof diffDirectory>]>([
    [
      'nothing new',
      { units: [{ id: 'snv', name: 'Sở Nội vụ', parentId: 'hn' }], people: [] },
      { units: [], people: [], untouched: { units: 1, people: 2 } },
    ],
    [
      'a person added, another changed, an omitted field kept',
      {
        units: [],
        people: [
          { id: 'lan', fullName: 'Lê Lan', unitId: 'snv', role: 'staff', email: null },
          { id: 'minh', fullName: 'Trần Minh', unitId: 'snv', role: 'deputy' },
        ],
      },
      {
        units: [],
        people: [
          {
            id: 'lan',
            kind: 'added',
            fields: [
              { field: 'fullName', before: null, after: 'Lê Lan' },
              { field: 'unitId', before: null, after: 'snv' },
              { field: 'role', before: null, after: 'staff' },
              { field: 'email', before: null, after: null },
            ],
          },
          { id: 'minh', kind: 'changed', fields: [{ field: 'role', before: 'staff', after: 'deputy' }] },
        ],
        untouched: { units: 2, people: 1 },
      },
    ],
    [
      'a unit closed',
      { units: [{ id: 'snv', name: 'Sở Nội vụ', parentId: 'hn', active: false }], people: [] },
      {
        units: [{ id: 'snv', kind: 'changed', fields: [{ field: 'active', before: true, after: false }] }],
        people: [],
        untouched: { units: 1, people: 2 },
      },
    ],
  ])('%s', (_name, upload, expected) => {
    expect(diffDirectory(stored, upload)).toEqual(expected);
  });
});
