import { decodeCursor, encodeCursor } from '../../../lambdas/core/cursor';
import { ValidationError } from '../../../lambdas/core/errors';

describe('paging cursors', () => {
  it('round-trips a position, non-ASCII included, as URL-safe text', () => {
    const cursor = encodeCursor('partners', { activityAt: '2026-11-30T10:00:00.000Z', partnerId: 'müller?&/' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('partners', cursor, ['activityAt', 'partnerId'])).toEqual({
      activityAt: '2026-11-30T10:00:00.000Z',
      partnerId: 'müller?&/',
    });
  });

  it("refuses another list's cursor, missing or extra fields, and text that is no cursor", () => {
    const runs = encodeCursor('runs', { runId: 'r1' });
    expect(() => decodeCursor('partners', runs, ['partnerId'])).toThrow(ValidationError);
    expect(() => decodeCursor('runs', encodeCursor('runs', {}), ['runId'])).toThrow(ValidationError);
    expect(() => decodeCursor('runs', encodeCursor('runs', { runId: 'r1', x: 'y' }), ['runId'])).toThrow(
      ValidationError,
    );
    expect(() => decodeCursor('runs', encodeCursor('runs', { runId: '' }), ['runId'])).toThrow(ValidationError);
    for (const junk of ['not-a-cursor', 'a+b', '', 'x'.repeat(1001)]) {
      expect(() => decodeCursor('runs', junk, ['runId'])).toThrow(ValidationError);
    }
  });
});
