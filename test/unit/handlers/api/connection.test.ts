import {
  GradientServerError,
  GradientTimeoutError,
  GradientUnreachableError,
  ValidationError,
} from '../../../../lambdas/core/errors';
import { defaultCloseDay } from '../../../../lambdas/core/partners';
import { harness, OTHER_KEY, PARTNER_KEY } from './support';

/** A catalog of one service and two accounts of msp-1 (one inactive). */
async function seeded() {
  const h = harness();
  await h.service();
  await h.account('msp-1', 'acme', 'Acme Corp');
  await h.account('msp-1', 'globex', 'Globex');
  await h.account('msp-1', 'old', 'Old Co', { active: false });
  const gradient = h.gradientFor();
  return { ...h, gradient };
}

describe('POST /v1/partners/{partnerId}/connection/test', () => {
  it('tests a key given in the body without storing anything, even for a partner not seen before', async () => {
    const h = await seeded();
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: PARTNER_KEY } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, organization: { organizationId: 'org-1', name: 'Example MSP' } });
    expect(h.deps.state.keys.size).toBe(0);
    expect(h.deps.state.partners.size).toBe(0);
    expect(h.gradient.calls).toEqual(['getOrganization']);
  });

  it('trims whitespace pasted around the key', async () => {
    const h = await seeded();
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test', {
      body: { partnerApiKey: `  ${PARTNER_KEY}\n` },
    });
    expect(res.body.ok).toBe(true);
  });

  it('answers ok:false with a reason a person can act on when Gradient rejects the key', async () => {
    const h = await seeded();
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: 'pk_wrong' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, code: 'key_rejected' });
    expect(res.body.reason).toMatch(/Generate a new key/);
  });

  it('answers ok:false gradient_unavailable when Gradient is down or times out', async () => {
    const h = await seeded();
    h.gradient.beforeCall = () => {
      throw new GradientUnreachableError('connect ECONNREFUSED');
    };
    const down = await h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: PARTNER_KEY } });
    expect(down.body).toMatchObject({ ok: false, code: 'gradient_unavailable' });
    h.gradient.beforeCall = () => {
      throw new GradientTimeoutError('no answer');
    };
    const slow = await h.call('POST', '/v1/partners/msp-1/connection/test', { body: { partnerApiKey: PARTNER_KEY } });
    expect(slow.body.reason).toMatch(/could not be reached/);
  });

  it('tests the stored key when the body has none', async () => {
    const h = await seeded();
    await h.save();
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test');
    expect(res.body.ok).toBe(true);
  });

  it('answers 404 for an unknown partner without a key, and no_key for a disconnected one', async () => {
    const h = await seeded();
    expect((await h.call('POST', '/v1/partners/nobody/connection/test')).status).toBe(404);
    await h.save();
    await h.call('DELETE', '/v1/partners/msp-1/connection');
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test', { body: {} });
    expect(res.body).toMatchObject({ ok: false, code: 'no_key' });
  });

  it('rejects a key with spaces inside or an unknown field (400) without echoing the value', async () => {
    const h = await seeded();
    const res = await h.call('POST', '/v1/partners/msp-1/connection/test', {
      body: { partnerApiKey: 'pk live secret' },
    });
    expect(res.status).toBe(400);
    expect(res.raw).not.toContain('pk live secret');
    expect((await h.call('POST', '/v1/partners/msp-1/connection/test', { body: { key: 'x' } })).status).toBe(400);
  });
});

describe('PUT /v1/partners/{partnerId}/connection', () => {
  it('verifies, sets Gradient up and stores the key and the partner as pending', async () => {
    const h = await seeded();
    const res = await h.save('msp-1', PARTNER_KEY, { roundingPolicy: 'nearest' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      partnerId: 'msp-1',
      status: 'pending',
      roundingPolicy: 'nearest',
      organizationName: 'Example MSP',
      mappings: { accounts: 2, mappedAccounts: 0, unmappedAccounts: 2, services: 1 },
    });
    expect(res.raw).not.toContain(PARTNER_KEY);
    expect(h.gradient.calls[0]).toBe('getOrganization');
    expect(h.gradient.status).toBe('pending');
    expect([...h.gradient.accounts.keys()].sort()).toEqual(['acme', 'globex']);
    expect(h.gradient.skus.map((s) => s.name)).toEqual(['Business Seat']);
    expect(h.deps.state.catalog.get('business-seat')?.gradientServiceId).toBe('sku-1');
    expect(h.deps.state.keys.get('msp-1')).toBe(PARTNER_KEY);
    expect(h.deps.state.partners.get('msp-1')?.status).toBe('pending');
  });

  it('rejected key: 422 and no state change at all', async () => {
    const h = await seeded();
    const res = await h.save('msp-1', 'pk_not_known_to_gradient');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('key_rejected');
    expect(h.deps.state.keys.size).toBe(0);
    expect(h.deps.state.partners.size).toBe(0);
    expect(h.deps.state.accountMappings.size + h.deps.state.serviceMappings.size).toBe(0);
  });

  it('refuses a partner id with ":" (not valid in a secret name) with 400 before Gradient is called', async () => {
    const h = await seeded();
    const res = await h.save('acme:1');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('partnerId');
    expect(h.gradient.calls).toEqual([]);
    expect(h.deps.state.keys.size + h.deps.state.partners.size).toBe(0);
  });

  it('checks the secret name it will write before its first side effect', async () => {
    const h = await seeded();
    h.deps.keys.assertStorable = () => {
      throw new ValidationError('no key can be stored for this partner id', [{ path: 'partnerId', message: 'x' }]);
    };
    const res = await h.save();
    expect(res.status).toBe(400);
    expect(h.gradient.calls).toEqual([]);
    expect(h.deps.state.keys.size + h.deps.state.partners.size).toBe(0);
    expect(h.deps.state.accountMappings.size + h.deps.state.serviceMappings.size).toBe(0);
  });

  it('saving twice with the same key is idempotent: no duplicate accounts or services in Gradient', async () => {
    const h = await seeded();
    const first = await h.save();
    const second = await h.save();
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(h.gradient.skus).toHaveLength(1);
    expect(h.gradient.accounts.size).toBe(2);
    expect(h.gradient.calls.filter((c) => c === 'createAccounts')).toHaveLength(1);
    expect(h.gradient.calls.filter((c) => c === 'createVendorService')).toHaveLength(1);
  });

  it('a new key replaces the stored one and keeps the rounding policy and last run', async () => {
    const h = await seeded();
    await h.save('msp-1', PARTNER_KEY, { roundingPolicy: 'up' });
    h.deps.gradients.set(OTHER_KEY, h.gradient);
    const lastRun = {
      runId: 'r1',
      period: '2026-11',
      status: 'succeeded' as const,
      summary: { lines: 1, sent: 1, accepted: 1, notMapped: 0, unchanged: 0, failed: 0 },
    };
    h.deps.state.partners.get('msp-1')!.lastRun = lastRun;
    h.deps.state.partners.get('msp-1')!.status = 'connected';
    const res = await h.save('msp-1', OTHER_KEY);
    expect(res.body).toMatchObject({ roundingPolicy: 'up', status: 'connected', lastRun: { runId: 'r1' } });
    expect(h.deps.state.keys.get('msp-1')).toBe(OTHER_KEY);
  });

  it('does not downgrade an integration Gradient already reports active', async () => {
    const h = await seeded();
    h.gradient.organization.status = 'active';
    await h.save();
    expect(h.gradient.calls).not.toContain('updateIntegrationStatus');
  });

  it('renames accounts whose name changed and creates new ones in chunks of 100', async () => {
    const h = await seeded();
    await h.save();
    await h.account('msp-1', 'acme', 'Acme Corporation');
    for (let i = 0; i < 150; i++) await h.account('msp-1', `new-${String(i).padStart(3, '0')}`, `New ${i}`);
    h.gradient.calls = [];
    await h.save();
    expect(h.gradient.accounts.get('acme')?.name).toBe('Acme Corporation');
    expect(h.gradient.calls.filter((c) => c === 'createAccounts')).toHaveLength(2);
    // One list before, one after the creation (fresh mapping flags for the new companies).
    expect(h.gradient.calls.filter((c) => c === 'listAccounts')).toHaveLength(2);
    expect(h.gradient.accounts.size).toBe(152);
  });

  it.each([
    [
      '502',
      () => new GradientServerError('Gradient POST /organization/accounts answered 502', 502),
      502,
      'gradient_error',
    ],
    ['timeout', () => new GradientTimeoutError('no answer'), 504, 'gradient_timeout'],
    ['unreachable', () => new GradientUnreachableError('ECONNRESET'), 504, 'gradient_unreachable'],
  ])(
    'Gradient failing midway (%s) leaves nothing half-written and a retry completes the setup',
    async (_, makeError, status, code) => {
      const h = await seeded();
      h.gradient.beforeCall = (route) => {
        if (route === 'createAccounts') throw makeError();
      };
      const res = await h.save();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(h.deps.state.keys.size).toBe(0);
      expect(h.deps.state.partners.size).toBe(0);
      expect(h.deps.state.serviceMappings.size + h.deps.state.accountMappings.size).toBe(0);

      h.gradient.beforeCall = () => {};
      const retry = await h.save();
      expect(retry.status).toBe(200);
      expect(h.gradient.skus).toHaveLength(1);
      expect(h.gradient.accounts.size).toBe(2);
    },
  );

  it('a failed re-save keeps the previous key, record and mappings', async () => {
    const h = await seeded();
    await h.save();
    const other = h.gradientFor(OTHER_KEY);
    other.beforeCall = (route) => {
      if (route === 'listAccounts') throw new GradientServerError('boom', 500);
    };
    expect((await h.save('msp-1', OTHER_KEY)).status).toBe(502);
    expect(h.deps.state.keys.get('msp-1')).toBe(PARTNER_KEY);
    expect(h.deps.state.accountMappings.size).toBe(2);
  });

  it('rejects a missing key, an unknown rounding policy and a body that is not an object', async () => {
    const h = await seeded();
    expect((await h.call('PUT', '/v1/partners/msp-1/connection', { body: { roundingPolicy: 'none' } })).status).toBe(
      400,
    );
    const bad = await h.save('msp-1', PARTNER_KEY, { roundingPolicy: 'sideways' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('roundingPolicy');
    expect((await h.call('PUT', '/v1/partners/msp-1/connection', { body: [PARTNER_KEY] })).status).toBe(400);
    expect(h.deps.state.partners.size).toBe(0);
  });
});

describe('POST /v1/partners/{partnerId}/mappings/sync and GET …/mappings', () => {
  it('pulls isMapped and answers counts with the unmapped accounts listed', async () => {
    const h = await seeded();
    await h.save();
    h.gradient.accounts.get('acme')!.isMapped = true;
    await h.account('msp-1', 'initech', 'Initech');
    const res = await h.call('POST', '/v1/partners/msp-1/mappings/sync');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      existing: 2,
      created: 1,
      renamed: 0,
      mapped: 1,
      unmappedCount: 2,
      unmapped: [
        { accountId: 'globex', name: 'Globex' },
        { accountId: 'initech', name: 'Initech' },
      ],
      services: 1,
    });
    const mappings = await h.call('GET', '/v1/partners/msp-1/mappings');
    expect(mappings.body.accounts.find((a: { accountId: string }) => a.accountId === 'acme').isMapped).toBe(true);
    expect(mappings.body.services).toEqual([
      { serviceKey: 'business-seat', gradientServiceId: 'sku-1', syncedAt: expect.any(String) },
    ]);
  });

  it('answers 409 for a partner that is not connected and 404 for an unknown one', async () => {
    const h = await seeded();
    expect((await h.call('POST', '/v1/partners/nobody/mappings/sync')).status).toBe(404);
    expect((await h.call('GET', '/v1/partners/nobody/mappings')).status).toBe(404);
    await h.save();
    await h.call('DELETE', '/v1/partners/msp-1/connection');
    const res = await h.call('POST', '/v1/partners/msp-1/mappings/sync');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('partner_not_connected');
  });

  it('a stored key Gradient now rejects marks the partner auth_failed (422)', async () => {
    const h = await seeded();
    await h.save();
    h.deps.gradients.delete(PARTNER_KEY);
    const res = await h.call('POST', '/v1/partners/msp-1/mappings/sync');
    expect(res.status).toBe(422);
    const partner = await h.call('GET', '/v1/partners/msp-1');
    expect(partner.body.status).toBe('auth_failed');
    expect(partner.body.statusReason).toMatch(/rejected/);
    // The alarm on auth_failed sees it too, as it does when the nightly sync finds it.
    expect(h.deps.state.metrics).toContainEqual({ name: 'PartnersAuthFailed', value: 1 });
  });

  it('answers 503 with Retry-After when Gradient rate limits', async () => {
    const h = await seeded();
    await h.save();
    const { GradientRateLimitedError } = await import('../../../../lambdas/core/errors');
    h.gradient.beforeCall = () => {
      throw new GradientRateLimitedError('Request limit reached', 2500);
    };
    const res = await h.call('POST', '/v1/partners/msp-1/mappings/sync');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
  });
});

describe('GET and PATCH /v1/partners/{partnerId}', () => {
  it('shows the partner and changes its rounding policy', async () => {
    const h = await seeded();
    await h.save();
    const patched = await h.call('PATCH', '/v1/partners/msp-1', { body: { roundingPolicy: 'down' } });
    expect(patched.status).toBe(200);
    expect(patched.body.roundingPolicy).toBe('down');
    expect((await h.call('GET', '/v1/partners/msp-1')).body.roundingPolicy).toBe('down');
  });

  it('shows the close day (the spread default until set) and changes it', async () => {
    const h = await seeded();
    await h.save();
    const before = (await h.call('GET', '/v1/partners/msp-1')).body.closeDay;
    expect(before).toBe(defaultCloseDay('msp-1'));
    const patched = await h.call('PATCH', '/v1/partners/msp-1', { body: { closeDay: 28 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ closeDay: 28, roundingPolicy: 'none' });
    expect((await h.call('GET', '/v1/partners/msp-1')).body.closeDay).toBe(28);
  });

  it.each([0, 29, 31, 2.5, '5', null])('rejects close day %p (400) and keeps the one set', async (closeDay) => {
    const h = await seeded();
    await h.save();
    await h.call('PATCH', '/v1/partners/msp-1', { body: { closeDay: 3 } });
    const res = await h.call('PATCH', '/v1/partners/msp-1', { body: { closeDay } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['closeDay']);
    expect(h.deps.state.partners.get('msp-1')!.closeDay).toBe(3);
  });

  it('rejects an empty patch, an unknown setting, and answers 404 for an unknown partner', async () => {
    const h = await seeded();
    await h.save();
    expect((await h.call('PATCH', '/v1/partners/msp-1', { body: {} })).status).toBe(400);
    expect((await h.call('PATCH', '/v1/partners/msp-1', { body: { status: 'connected' } })).status).toBe(400);
    expect((await h.call('PATCH', '/v1/partners/nobody', { body: { roundingPolicy: 'up' } })).status).toBe(404);
    const missing = await h.call('GET', '/v1/partners/nobody');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('DELETE /v1/partners/{partnerId}/connection', () => {
  it('sets Gradient inactive, forgets key, mappings and held values, keeps the record and runs (204)', async () => {
    const h = await seeded();
    await h.save();
    h.deps.state.held.set('x', {
      partnerId: 'msp-1',
      period: '2026-11',
      accountId: 'acme',
      serviceKey: 'business-seat',
      value: 3,
      runId: 'r1',
      acceptedAt: 'now',
    });
    await h.call('POST', '/v1/partners/msp-1/resync');
    const res = await h.call('DELETE', '/v1/partners/msp-1/connection');
    expect(res.status).toBe(204);
    expect(res.raw).toBe('');
    expect(h.gradient.status).toBe('inactive');
    expect(h.deps.state.keys.size).toBe(0);
    expect(h.deps.state.accountMappings.size + h.deps.state.serviceMappings.size).toBe(0);
    expect(h.deps.state.held.size).toBe(0);
    expect(h.deps.state.partners.get('msp-1')?.status).toBe('disconnected');
    expect((await h.call('GET', '/v1/partners/msp-1/runs')).body.runs).toHaveLength(1);
  });

  it('a second disconnect is a no-op 204 that does not call Gradient', async () => {
    const h = await seeded();
    await h.save();
    await h.call('DELETE', '/v1/partners/msp-1/connection');
    h.gradient.calls = [];
    const again = await h.call('DELETE', '/v1/partners/msp-1/connection');
    expect(again.status).toBe(204);
    expect(h.gradient.calls).toEqual([]);
  });

  it('disconnects even when Gradient fails, and reports it (200 with a warning)', async () => {
    const h = await seeded();
    await h.save();
    h.gradient.beforeCall = () => {
      throw new GradientServerError('boom', 503);
    };
    const res = await h.call('DELETE', '/v1/partners/msp-1/connection');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ disconnected: true, warning: { code: 'gradient_unavailable' } });
    expect(h.deps.state.keys.size).toBe(0);
    expect(h.deps.state.partners.get('msp-1')?.status).toBe('disconnected');
  });

  it('answers 404 for an unknown partner', async () => {
    const h = await seeded();
    expect((await h.call('DELETE', '/v1/partners/nobody/connection')).status).toBe(404);
  });

  it('a reconnect after a disconnect works from scratch: accounts created again, pending again', async () => {
    const h = await seeded();
    await h.save();
    await h.call('DELETE', '/v1/partners/msp-1/connection');
    h.gradient.accounts.clear(); // Gradient deletes the accounts on disconnect
    const res = await h.save();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'pending', mappings: { accounts: 2, services: 1 } });
    expect(h.gradient.accounts.size).toBe(2);
    expect(h.gradient.skus).toHaveLength(1);
    expect(h.deps.state.keys.get('msp-1')).toBe(PARTNER_KEY);
  });
});
