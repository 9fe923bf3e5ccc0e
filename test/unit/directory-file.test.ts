import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readDirectoryFile, type RowError } from '../../web/directory-file';

const HEADER = 'kind,id,name,parentId,active,unitId,role,email,reviewerId';
const csv = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n'));

describe('readDirectoryFile', () => {
  it('reads units and people into the body PUT /v1/org takes, with the row of each', async () => {
    const file = await readDirectoryFile(
      csv('unit,snv,Sở Nội vụ,hn,no,,,,', 'person,tuan,"Phạm, Tuấn",,,snv,staff,,lan', ',,,,,,,,'),
    );
    expect(file.errors).toEqual([]);
    expect(file.directory).toEqual({
      units: [{ id: 'snv', name: 'Sở Nội vụ', parentId: 'hn', active: false }],
      people: [{ id: 'tuan', fullName: 'Phạm, Tuấn', unitId: 'snv', role: 'staff', email: null, reviewerId: 'lan' }],
    });
    expect(file.rows).toEqual({ 'units:snv': 2, 'people:tuan': 3 });
  });

  it.each<[string, Uint8Array, RowError[]]>([
    ['no data rows', csv(), [{ row: 0, column: null, rule: 'empty' }]],
    [
      'an unknown column and a missing one',
      new TextEncoder().encode('kind,id,title\nunit,a,b'),
      [
        { row: 1, column: 'title', rule: 'unknown-column' },
        { row: 1, column: 'name', rule: 'missing-column' },
      ],
    ],
    ['not UTF-8', new Uint8Array([...csv('unit,a,'), 0xff, 0xfe]), [{ row: 0, column: null, rule: 'not-utf8' }]],
    [
      'a kind neither unit nor person',
      csv('team,a,A,,,,,,'),
      [{ row: 2, column: 'kind', rule: 'unit-or-person', detail: 'team' }],
    ],
    [
      'active neither yes nor no',
      csv('unit,a,A,,maybe,,,,'),
      [{ row: 2, column: 'active', rule: 'yes-or-no', detail: 'maybe' }],
    ],
    ['an unknown role', csv('person,p,P,,,snv,boss,,'), [{ row: 2, column: 'role', rule: 'invalid_value' }]],
    ['an empty name', csv('unit,a,,,,,,,'), [{ row: 2, column: 'name', rule: 'too_small' }]],
    ['a bad e-mail', csv('person,p,P,,,snv,staff,not-mail,'), [{ row: 2, column: 'email', rule: 'invalid_format' }]],
    ['an unclosed quote', csv('unit,"a,A,,,,,,'), [{ row: 2, column: null, rule: 'unreadable' }]],
    [
      'a zip that is no workbook',
      new Uint8Array([0x50, 0x4b, 1, 2, 3]),
      [{ row: 0, column: null, rule: 'unreadable' }],
    ],
  ])('refuses %s, naming the row, column and rule', async (_name, bytes, errors) => {
    expect((await readDirectoryFile(bytes)).errors).toEqual(errors);
  });

  it('reads the first sheet of an XLSX, e-mail cells as text', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('x');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['person', 'quang', 'Trịnh Quang', '', '', 'snv', 'staff', '', '']);
    sheet.getCell('H2').value = { text: 'quang@hanoi.gov.vn', hyperlink: 'mailto:quang@hanoi.gov.vn' };
    const file = await readDirectoryFile(new Uint8Array(await book.xlsx.writeBuffer()));
    expect(file.errors).toEqual([]);
    expect(file.directory.people).toEqual([
      {
        id: 'quang',
        fullName: 'Trịnh Quang',
        unitId: 'snv',
        role: 'staff',
        email: 'quang@hanoi.gov.vn',
        reviewerId: null,
      },
    ]);
  });
});
