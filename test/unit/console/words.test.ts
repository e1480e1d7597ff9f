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
