// The Gradient emulator in a process of its own, for the budget bench: the local stack's workers and dynalite then
// do not share its event loop, so the arrival times it logs are Gradient's, not the sender's. Prints one JSON line
// `{"url": …}` when it listens; the bench drives it through its /__emulator/ control routes (docs/emulator.md).
import { startGradientEmulator } from '../local/gradient-emulator';
import { LOCAL_VENDOR } from '../local/stack';

startGradientEmulator({ vendors: [LOCAL_VENDOR], rateLimit: false, seed: 1 }).then(
  (emulator) => {
    process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
    process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
