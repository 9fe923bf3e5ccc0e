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
  { href: '/my-tokens', labelKey: 'myTokens.nav', shows: () => true },
];
