// The one Gradient decorator: every operation of the port passes through `around` by its name, with its
// arguments, on the wrapped port or on the one `around` picks; and the operation list matches the adapter.
import { createGradientClient, GRADIENT_ROUTES } from '../../../../lambdas/adapters/gradient-client';
import { decorateGradient } from '../../../../lambdas/core/calls/decorate';
import { GRADIENT_OPERATIONS, type GradientOperation, type GradientPort } from '../../../../lambdas/core/ports';

/** A port whose every method answers its own name and arguments. */
const echo = (tag: string): GradientPort =>
  Object.fromEntries(
    GRADIENT_OPERATIONS.map((op) => [op, async (...args: unknown[]) => ({ tag, op, args })]),
  ) as unknown as GradientPort;

describe('decorateGradient', () => {
  it('routes every operation through around, with its arguments, to the wrapped port by default', async () => {
    const seen: GradientOperation[] = [];
    const port = decorateGradient(echo('inner'), (operation, invoke) => {
      seen.push(operation);
      return invoke();
    });
    for (const op of GRADIENT_OPERATIONS) {
      const method = port[op] as (...a: unknown[]) => Promise<unknown>;
      await expect(method('a', 2)).resolves.toEqual({ tag: 'inner', op, args: ['a', 2] });
    }
    expect(seen).toEqual([...GRADIENT_OPERATIONS]);
  });

  it('runs the call on the port around chooses', async () => {
    const other = echo('other');
    const port = decorateGradient(echo('inner'), (_operation, invoke) => invoke(other));
    await expect(port.setUnitCount('s', 'a', 3, { noBuild: true })).resolves.toMatchObject({ tag: 'other' });
  });

  it('lists exactly the operations the HTTP adapter implements and maps to routes', () => {
    const client = createGradientClient({
      baseUrl: 'http://127.0.0.1:9',
      vendorApiKey: 'v',
      partnerApiKey: 'p',
      timeoutMs: 1,
    });
    expect(Object.keys(client).sort()).toEqual([...GRADIENT_OPERATIONS].sort());
    expect(Object.keys(GRADIENT_ROUTES).sort()).toEqual([...GRADIENT_OPERATIONS].sort());
  });
});
