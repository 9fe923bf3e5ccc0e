/** The demo directory loaded by `npm run dev` and used by the tests: a city unit, two departments, a dozen people. */
import type { Directory } from '../domain/types';

export const DEMO_DIRECTORY: Directory = {
  units: [
    { id: 'hn', name: 'UBND Thành phố Hà Nội', parentId: null },
    { id: 'sxd', name: 'Sở Xây dựng', parentId: 'hn' },
    { id: 'snv', name: 'Sở Nội vụ', parentId: 'hn' },
  ],
  people: [
    { id: 'an', fullName: 'Nguyễn Văn An', unitId: 'hn', role: 'head', email: 'an@hanoi.gov.vn', reviewerId: null },
    { id: 'binh', fullName: 'Trần Thị Bình', unitId: 'hn', role: 'deputy', email: 'binh@hanoi.gov.vn', reviewerId: null },
    { id: 'cuong', fullName: 'Lê Văn Cường', unitId: 'hn', role: 'staff', email: 'cuong@hanoi.gov.vn', reviewerId: 'binh' },
    { id: 'dung', fullName: 'Phạm Thị Dung', unitId: 'hn', role: 'staff', email: 'dung@hanoi.gov.vn', reviewerId: null },
    { id: 'em', fullName: 'Hoàng Văn Em', unitId: 'sxd', role: 'head', email: 'em@hanoi.gov.vn', reviewerId: null },
    { id: 'giang', fullName: 'Vũ Thị Giang', unitId: 'sxd', role: 'deputy', email: 'giang@hanoi.gov.vn', reviewerId: null },
    { id: 'hai', fullName: 'Đặng Văn Hải', unitId: 'sxd', role: 'staff', email: 'hai@hanoi.gov.vn', reviewerId: null },
    { id: 'hoa', fullName: 'Bùi Thị Hoa', unitId: 'sxd', role: 'staff', email: 'hoa@hanoi.gov.vn', reviewerId: 'giang' },
    { id: 'khanh', fullName: 'Đỗ Văn Khánh', unitId: 'snv', role: 'head', email: 'khanh@hanoi.gov.vn', reviewerId: null },
    { id: 'lan', fullName: 'Ngô Thị Lan', unitId: 'snv', role: 'deputy', email: 'lan@hanoi.gov.vn', reviewerId: null },
    { id: 'minh', fullName: 'Dương Văn Minh', unitId: 'snv', role: 'staff', email: 'minh@hanoi.gov.vn', reviewerId: null },
    { id: 'ngoc', fullName: 'Lý Thị Ngọc', unitId: 'snv', role: 'staff', email: 'ngoc@hanoi.gov.vn', reviewerId: 'lan' },
  ],
};
