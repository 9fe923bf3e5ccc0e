/** Which page a cycle's task opens, and who sees the board, results and complaints in the navigation. */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../api/auth';
import { NAV } from '../../web/nav';
import { pageForTask } from '../../web/task-pages';

const person = (role: 'head' | 'deputy' | 'staff'): Caller => ({
  id: 'x',
  roles: [],
  person: { id: 'x', unitId: 'snv', role },
});
const admin: Caller = { id: 'admin', roles: ['admin'], person: null };

describe('task links of the cycle', () => {
  it.each([
    ['deliberation', '/v1/cycles/snv/2027-02', '/board/snv/2027-02'],
    ['approval', '/v1/cycles/snv/2027-02/deliberation/approvals', '/board/snv/2027-02'],
    ['complaint', '/v1/complaints/abc/resolution', '/complaints'],
    ['approval', '/v1/cycles/snv/2027-02/other', null],
    ['deliberation', '/v1/evaluations/2027-02/ngoc', null],
  ])('%s at %s opens %s', (kind, link, page) => {
    expect(pageForTask({ kind, link })).toBe(page);
  });
});

describe('navigation: each reader sees the pages they may use', () => {
  const shown = (caller: Caller) => NAV.filter((n) => n.shows(caller)).map((n) => n.href);
  it.each([
    [
      'a head',
      person('head'),
      ['/tasks', '/review', '/board', '/results', '/complaints', '/escalations', '/cases', '/oversight', '/my-tokens'],
    ],
    [
      'a deputy',
      person('deputy'),
      ['/tasks', '/review', '/board', '/results', '/escalations', '/cases', '/oversight', '/my-tokens'],
    ],
    ['a staff member', person('staff'), ['/tasks', '/results', '/escalations', '/cases', '/my-tokens']],
    [
      'the bootstrap admin',
      admin,
      ['/tasks', '/directory/import', '/admin', '/escalations', '/cases', '/oversight', '/my-tokens'],
    ],
  ])('shows %s what they may use', (_name, caller, hrefs) => {
    expect(shown(caller)).toEqual(hrefs);
  });
});
