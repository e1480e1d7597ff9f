// Key text in free text: remembered values and labelled secrets masked, short values and ordinary text left alone.
import { forgetSecrets, maskSecretText, rememberSecret } from '../../../lambdas/shared/secret-text';

afterEach(() => forgetSecrets());

it('leaves ordinary text alone, short remembered values included', () => {
  rememberSecret('abc');
  const text = 'secret gradient-billing-sync/partner/abc holds no string value; token bucket empty';
  expect(maskSecretText(text)).toBe(text);
});

it('masks every occurrence of every remembered value', () => {
  rememberSecret('first-key-0123456789');
  rememberSecret('second-key-0123456789');
  expect(maskSecretText('first-key-0123456789/second-key-0123456789/first-key-0123456789')).toBe(
    '[redacted]/[redacted]/[redacted]',
  );
});

it('masks the value after a secret label, quoted or bare', () => {
  expect(maskSecretText('{"vendorApiKey": "v-1234567890"}')).toBe('{"vendorApiKey": "[redacted]"}');
  expect(maskSecretText('GRADIENT-TOKEN: dGVzdDp0ZXN0')).toBe('GRADIENT-TOKEN: [redacted]');
  expect(maskSecretText('password=hunter22&user=x')).toBe('password=[redacted]&user=x');
});

it('forgets the oldest values past its bound, so a warm process does not grow without end', () => {
  for (let i = 0; i <= 1_000; i++) rememberSecret(`bounded-key-${String(i).padStart(6, '0')}`);
  expect(maskSecretText('bounded-key-000000')).toBe('bounded-key-000000');
  expect(maskSecretText('bounded-key-001000')).toBe('[redacted]');
});
