import { rowFields } from '../../../platform/rows';

describe('rowFields', () => {
  const row = { id: 'doc_1', title: 'Flyers', createdAt: new Date('2026-03-02T10:15:00.000Z'), sentAt: null as Date | null, secret: 'never shown' };

  it('keeps only the fields named, dates as ISO 8601 and a missing date as null', () => {
    expect(rowFields(row, ['id', 'title', 'createdAt', 'sentAt'])).toEqual({ id: 'doc_1', title: 'Flyers', createdAt: '2026-03-02T10:15:00.000Z', sentAt: null });
  });

  it('leaves the row as it was', () => {
    rowFields(row, ['createdAt']);
    expect(row.createdAt).toBeInstanceOf(Date);
  });
});
