// The one way to wrap the Gradient port: `around` sees each call by its operation's name and decides how it runs
// (paced, retried, tried again with fresh keys, counted); `invoke` runs the call on the wrapped port, or on
// another one it is given (a client built with fresh keys).
// Driven by the port's list of operations, so a new operation needs no edit here or in any decorator.
import { GRADIENT_OPERATIONS, type GradientOperation, type GradientPort } from '../ports';

export type Around = <T>(operation: GradientOperation, invoke: (target?: GradientPort) => Promise<T>) => Promise<T>;

export function decorateGradient(port: GradientPort, around: Around): GradientPort {
  const decorated: Partial<Record<GradientOperation, unknown>> = {};
  for (const operation of GRADIENT_OPERATIONS) {
    decorated[operation] = (...args: unknown[]) =>
      around(operation, (target = port) => (target[operation] as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return decorated as GradientPort;
}
