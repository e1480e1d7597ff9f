// The card's words: the state shown for each partner status and for a partner never connected, and a receipt's
// values and reason.
import type { PartnerView } from '../../../client/types';
import { cardState, quantityText, reasonText } from '../../../console/src/words';

const partner = (status: PartnerView['status']) => ({ status }) as PartnerView;

it('maps each partner status, and a partner the API does not know, to the state the card shows', () => {
  expect(cardState(undefined)).toBe('Not connected');
  expect(cardState(partner('pending'))).toBe('Pending');
  expect(cardState(partner('connected'))).toBe('Connected');
  expect(cardState(partner('auth_failed'))).toBe('Key rejected');
  expect(cardState(partner('disconnected'))).toBe('Disconnected');
});

it('writes computed → pushed, and a reason only where there is one', () => {
  expect(quantityText({ computed: 12.33333, pushed: 13 })).toBe('12.3333 → 13');
  expect(reasonText({ outcome: 'accepted', httpStatus: 201 })).toBe('');
  expect(reasonText({ outcome: 'failed', httpStatus: 500 })).toBe('Gradient answered 500');
  expect(reasonText({ outcome: 'not_mapped', detail: 'Gradient: not mapped' })).toBe('Gradient: not mapped');
});

it('says why a receipt has its value: the reason in words, then the days that moved it', () => {
  const changed = { outcome: 'accepted' as const, reason: 'usage_changed' as const };
  expect(reasonText({ ...changed, changes: [{ date: '2026-03-12', from: 10, to: 15 }] })).toBe(
    'Usage changed: +5 on 12 Mar',
  );
  expect(
    reasonText({
      ...changed,
      changes: [
        { date: '2026-03-12', from: 15, to: 12.5 },
        { date: '2026-03-14', quantity: 7 },
      ],
    }),
  ).toBe('Usage changed: −2.5 on 12 Mar, 7 used on 14 Mar');
  expect(reasonText({ outcome: 'accepted', reason: 'new_line', changes: [] })).toBe('First value for this line');
  expect(reasonText({ outcome: 'failed', reason: 'backdated_correction', changes: [], httpStatus: 503 })).toBe(
    'Backdated correction. Gradient answered 503',
  );
});
