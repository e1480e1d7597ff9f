// Why the local stack could not start, in one line that names the setting to change: a port already in use
// is answered with the variable that chose it (PORT, GRADIENT_EMULATOR_PORT), not a bare EADDRINUSE.
import { errorMessage } from '../lambdas/core/errors';

/** The ports the local stack listens on, by the variable that sets each. */
export type PortSettings = Record<string, number>;

export function startupFailure(error: unknown, ports: PortSettings): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE') {
    const named = Object.entries(ports).find(([, port]) => port === e.port)?.[0];
    return named
      ? `port ${e.port} is already in use (${named}): stop what holds it, or set ${named} to a free port`
      : `port ${e.port ?? '?'} is already in use: ${e.message}`;
  }
  return errorMessage(error);
}
