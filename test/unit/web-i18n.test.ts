/** The pages' language choice, message catalogues, and the paths they send a reader back to. */
import { describe, expect, it } from 'vitest';
import en from '../../web/locales/en.json' with { type: 'json' };
import vi from '../../web/locales/vi.json' with { type: 'json' };
import { pickLang, speech } from '../../web/i18n';
import { localPath } from '../../web/session';
import { pageForTask, taskKindKey } from '../../web/task-pages';

/** Every key of a catalogue, plural forms (`_one`, `_other`) named once by their base. */
const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o)
    .flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k.replace(/_(one|other)$/, '')}`],
    )
    .filter((k, i, all) => all.indexOf(k) === i)
    .sort();

describe('web language', () => {
  it('has the same messages in Vietnamese and English', () => {
    expect(keys(en)).toEqual(keys(vi));
  });

  it.each([
    [undefined, undefined, 'vi'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, 'fr-FR, en;q=0.5, vi;q=0.8', 'vi'],
    [undefined, 'fr-FR', 'vi'],
    [undefined, 'en;q=0', 'vi'],
    ['en', 'vi', 'en'],
    ['vi', 'en', 'vi'],
    ['de', 'en', 'en'],
  ])('picks the language from cookie %s and Accept-Language %s: %s', (cookie, accept, lang) => {
    expect(pickLang(cookie, accept)).toBe(lang);
  });

  it('shows times in Hanoi and periods in words', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    expect(speech('en').dateTime(at)).toContain('17:00');
    expect(speech('vi').month('2026-10')).toBe('tháng 10 năm 2026');
    expect(speech('en').month('2026-10')).toBe('October 2026');
    expect(speech('en').relative(new Date(at.getTime() + 3 * 86_400_000), at)).toBe('in 3 days');
    expect(speech('en').relative(new Date(at.getTime() - 2 * 3_600_000), at)).toBe('2 hours ago');
  });

  it.each([
    ['/plan/2026-10', '/plan/2026-10'],
    ['/tasks?x=1', '/tasks?x=1'],
    ['//evil.example/x', '/tasks'],
    ['/\\evil.example', '/tasks'],
    ['https://evil.example/', '/tasks'],
    ['javascript:alert(1)', '/tasks'],
    [undefined, '/tasks'],
  ])('sends a reader back to %s as %s, never to another site', (asked, path) => {
    expect(localPath(asked)).toBe(path);
  });

  it('links a plan task to its page and names every kind of task', () => {
    expect(pageForTask({ kind: 'plan', link: '/v1/evaluations/2026-10/minh' })).toBe('/plan/2026-10');
    expect(pageForTask({ kind: 'review', link: '/v1/evaluations/2026-10/minh' })).toBe('/review/2026-10/minh');
    expect(pageForTask({ kind: 'something-new', link: '/v1/evaluations/2026-10/minh' })).toBeNull();
    expect(taskKindKey('case:vote')).toBe('tasks.kind.case');
    expect(taskKindKey('something-new')).toBe('tasks.kind.other');
  });
});
