/**
 * A synthetic city of a given size: one city unit and `units` departments under it, each with a
 * head, two deputies and staff (every third reviewed by a deputy), Vietnamese names throughout.
 */
import type { Directory, Person, Unit } from '../../domain/types';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quang'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dung',
  'Giang',
  'Hải',
  'Hoa',
  'Khánh',
  'Lan',
  'Minh',
  'Ngọc',
  'Phương',
  'Quân',
  'Sơn',
  'Thảo',
  'Tuấn',
  'Vy',
  'Yến',
];

export const nameOf = (i: number) =>
  `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7) % GIVEN.length]}`;

export function benchDirectory(people: number, units: number): Directory {
  const unitList: Unit[] = [{ id: 'city', name: 'UBND Thành phố', parentId: null }];
  const list: Person[] = [];
  let n = 0;
  const add = (unitId: string, role: Person['role'], reviewerId: string | null = null) => {
    const id = `p${String(++n).padStart(6, '0')}`;
    list.push({ id, fullName: nameOf(n), unitId, role, email: `${id}@bench.gov.vn`, reviewerId });
    return id;
  };
  add('city', 'head');
  add('city', 'deputy');
  for (let u = 1; u <= units; u++)
    unitList.push({ id: `u${String(u).padStart(4, '0')}`, name: `Sở số ${u}`, parentId: 'city' });
  const perUnit = Math.max(4, Math.floor((people - 2) / units));
  for (const unit of unitList.slice(1)) {
    add(unit.id, 'head');
    const deputies = [add(unit.id, 'deputy'), add(unit.id, 'deputy')];
    for (let i = 3; i < perUnit && n < people; i++) add(unit.id, 'staff', i % 3 === 0 ? deputies[i % 2] : null);
  }
  while (n < people) add('city', 'staff');
  return { units: unitList, people: list };
}
