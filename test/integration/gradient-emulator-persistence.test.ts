import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGradientClient } from '../../lambdas/adapters/gradient-client';
import { startGradientEmulator } from '../../local/gradient-emulator';

const vendors = [{ vendorApiKey: 'vendor-key-persist', vendorId: '65e0aaaaaaaaaaaaaaaaaaaa', name: 'Vendor' }];
const PARTNER_KEY = 'partner-key-persist-0123456789';

describe('the Gradient emulator with a data file', () => {
  it('comes back as the same Gradient after a restart, keeping partner keys only as hashes', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'gemu-')), 'gradient.json');
    const first = await startGradientEmulator({ vendors, dataFile, rateLimit: false });
    first.addPartner({ partnerApiKey: PARTNER_KEY, organizationName: 'MSP', psaCompanies: ['Acme'] });
    const client = (url: string) =>
      createGradientClient({
        baseUrl: url,
        vendorApiKey: vendors[0]!.vendorApiKey,
        partnerApiKey: PARTNER_KEY,
        timeoutMs: 2_000,
      });
    await client(first.url).createAccounts([{ id: 'acme', name: 'Acme' }]);
    await first.close();

    const second = await startGradientEmulator({ vendors, dataFile, rateLimit: false });
    try {
      expect(await client(second.url).listAccounts()).toEqual([
        expect.objectContaining({ id: 'acme', name: 'Acme', isMapped: true }),
      ]);
      expect(readFileSync(dataFile, 'utf8')).not.toContain(PARTNER_KEY);
    } finally {
      await second.close();
    }
  });
});
