import { clientsSchema } from '../../../lambdas/adapters/gradient-schemas';

describe('clientsSchema (Get Clients, element shape undocumented)', () => {
  it('reads names from strings and from objects with a name-ish field, skipping what has none', () => {
    const parsed = clientsSchema.parse({
      meta: {},
      clients: [
        'Acme Dental',
        { id: 'g1', name: ' Birch Legal ' },
        { companyName: 'Cedar Motors' },
        { displayName: 'Dune Farms', name: 42 },
        { id: 'g5' },
        null,
        7,
        '',
      ],
    });
    expect(parsed.clients).toEqual(['Acme Dental', 'Birch Legal', 'Cedar Motors', 'Dune Farms']);
  });

  it('rejects a body without a clients list', () => {
    expect(clientsSchema.safeParse({ meta: {} }).success).toBe(false);
    expect(clientsSchema.safeParse({ clients: 'Acme' }).success).toBe(false);
  });
});
