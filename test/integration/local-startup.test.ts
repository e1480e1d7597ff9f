// The local stack's start-up failures say which setting to change: a busy emulator port names
// GRADIENT_EMULATOR_PORT (the error comes from the real emulator trying to listen on a taken port).
import { createServer, type Server } from 'node:net';
import { startGradientEmulator } from '../../local/gradient-emulator';
import { startupFailure } from '../../local/startup';

let holder: Server;
let port: number;

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  port = (holder.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

it('names GRADIENT_EMULATOR_PORT when the emulator cannot listen on its port', async () => {
  const error = await startGradientEmulator({ port }).then(
    async (emulator) => {
      await emulator.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'EADDRINUSE' });
  expect(startupFailure(error, { PORT: port - 1, GRADIENT_EMULATOR_PORT: port })).toBe(
    `port ${port} is already in use (GRADIENT_EMULATOR_PORT): stop what holds it, or set GRADIENT_EMULATOR_PORT to a free port`,
  );
  expect(startupFailure(new Error('boom'), {})).toBe('boom');
});
