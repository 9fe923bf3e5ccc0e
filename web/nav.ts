/**
 * The header's navigation. A new page adds its entry here: `labelKey` in the catalogue, and
 * `shows` to list it only for those who may use it (the page itself still checks the right).
 */
import { mayChangeDirectory } from '../api/admin-commands';
import { isAdmin, isHr, type Caller } from '../api/auth';

export interface NavItem {
  href: string;
  labelKey: string;
  shows: (caller: Caller) => boolean;
}

const leads = (caller: Caller) => caller.person?.role === 'head' || caller.person?.role === 'deputy';

export const NAV: NavItem[] = [
  { href: '/tasks', labelKey: 'nav.tasks', shows: () => true },
  // Leaders review, and HR decides reviews that climbed to it; staff are nobody's reviewer.
  {
    href: '/review',
    labelKey: 'review.nav',
    shows: (c) => isHr(c) || (c.person !== null && c.person.role !== 'staff'),
  },
  { href: '/directory/import', labelKey: 'import.nav', shows: mayChangeDirectory },
  { href: '/admin', labelKey: 'admin.nav', shows: isAdmin },
  { href: '/board', labelKey: 'board.nav', shows: leads },
  { href: '/results', labelKey: 'results.nav', shows: (caller) => caller.person !== null },
  { href: '/complaints', labelKey: 'complaints.nav', shows: (caller) => caller.person?.role === 'head' },
  { href: '/escalations', labelKey: 'escalations.nav', shows: () => true },
  { href: '/cases', labelKey: 'cases.nav', shows: () => true },
  { href: '/proposals', labelKey: 'proposals.nav', shows: isHr },
  // Leaders oversee their subtree; HR and admins every unit (the page picks the reader's own unit).
  {
    href: '/oversight',
    labelKey: 'oversight.nav',
    shows: (c) => isHr(c) || isAdmin(c) || leads(c),
  },
  { href: '/my-tokens', labelKey: 'myTokens.nav', shows: () => true },
];
