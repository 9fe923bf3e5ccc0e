/**
 * The header's navigation. A new page adds its entry here: `labelKey` in the catalogue, and
 * `shows` to list it only for those who may use it (the page itself still checks the right).
 */
import { isHr, type Caller } from '../api/auth';

export interface NavItem {
  href: string;
  labelKey: string;
  shows: (caller: Caller) => boolean;
}

export const NAV: NavItem[] = [
  { href: '/tasks', labelKey: 'nav.tasks', shows: () => true },
  { href: '/escalations', labelKey: 'escalations.nav', shows: () => true },
  { href: '/cases', labelKey: 'cases.nav', shows: () => true },
  { href: '/proposals', labelKey: 'proposals.nav', shows: isHr },
];
