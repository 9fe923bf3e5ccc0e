/**
 * The header's navigation. A new page adds its entry here: `labelKey` in the catalogue, and
 * `shows` to list it only for those who may use it (the page itself still checks the right).
 */
import { isAdmin, isHr, type Caller } from '../api/auth';

export interface NavItem {
  href: string;
  labelKey: string;
  shows: (caller: Caller) => boolean;
}

export const NAV: NavItem[] = [
  { href: '/tasks', labelKey: 'nav.tasks', shows: () => true },
  // Leaders oversee their subtree; HR and admins every unit (the page picks the reader's own unit).
  {
    href: '/oversight',
    labelKey: 'oversight.nav',
    shows: (c) => isHr(c) || isAdmin(c) || c.person?.role === 'head' || c.person?.role === 'deputy',
  },
];
