// `npm start` (a full nightly sync on the embedded local stack) and `npm run dev` (the HTTP API and the console
// pages on 127.0.0.1; `npm run dev -- --demo` first seeds `npm start`'s demo plus one MSP left to connect).
// Configuration: LOCAL_DATA_DIR (default .local-data), GRADIENT_BASE_URL (another Gradient instead of the
// built-in emulator), GRADIENT_VENDOR_API_KEY (the vendor key written to the local Secrets Manager), PORT and
// GRADIENT_EMULATOR_PORT (npm run dev; default PORT + 1).

// Quiet, local-friendly defaults, set before the Powertools singletons read them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Local runs use Node 20; the Lambdas run Node 22+, so the SDK's Node-version notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dataDir = process.env.LOCAL_DATA_DIR ?? '.local-data';
const gradientBaseUrl = process.env.GRADIENT_BASE_URL;
const vendorApiKey = process.env.GRADIENT_VENDOR_API_KEY;

async function sync(): Promise<number> {
  const { runLocalSync } = await import('../local/local-sync');
  return runLocalSync({
    dataDir,
    ...(gradientBaseUrl && { gradientBaseUrl }),
    ...(vendorApiKey && { vendorApiKey }),
    emulator: { latencyMs: { min: 5, max: 20 } },
  });
}

async function serve(demo: boolean): Promise<void> {
  const { startLocalStack } = await import('../local/stack');
  const { startApiServer } = await import('../local/api-server');
  const { buildConsole } = await import('../console/build');
  const port = Number(process.env.PORT ?? 3000);
  const stack = await startLocalStack({
    dataDir,
    ...(gradientBaseUrl && { gradientBaseUrl }),
    ...(vendorApiKey && { vendorApiKey }),
    // A fixed port, so a walkthrough can name the emulator's URL.
    emulator: { port: Number(process.env.GRADIENT_EMULATOR_PORT ?? port + 1) },
  });
  const consoleMsp = demo ? await seedForConsole(stack) : undefined;
  stack.queue.startAutoDrain(stack.workers);
  stack.events.onEvent((e) => console.log(`event ${e['detail-type']} ${JSON.stringify(e.detail)}`));
  const server = await startApiServer({
    port,
    host: '127.0.0.1',
    handler: stack.api,
    events: stack.events,
    console: await buildConsole(),
    log: (line) => console.log(line),
  });
  console.log(`gradient-billing-sync API   ${server.url}  (GET /openapi.json)`);
  console.log(`console                     ${server.url}/console/`);
  console.log(`Gradient ${stack.emulator ? 'emulator' : '(external)'}         ${stack.gradientUrl}`);
  console.log(`data                         ${dataDir}   (delete it for a fresh start)`);
  console.log(`events                       ${server.url}/__local/events   (the vendor's bus, in process)`);
  if (consoleMsp) {
    console.log('');
    console.log(`Connect ${consoleMsp.organizationName} as its MSP would:`);
    console.log(`  open       ${server.url}/console/?partner=${consoleMsp.partnerId}`);
    console.log(`  paste      ${consoleMsp.partnerApiKey}   (its Gradient API key, from the emulated Synthesize)`);
    console.log('  then       Test connection, Save, Sync mappings, Resync');
    console.log('');
  }
  console.log('Resyncs run in-process as soon as they are queued. Ctrl-C stops.');
  const stop = async () => {
    await server.close();
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `--demo`: `npm start`'s demo (seeded once) and the MSP left for the console; needs the built-in emulator. */
async function seedForConsole(stack: import('../local/stack').LocalStack) {
  if (!stack.emulator) throw new Error('--demo needs the built-in Gradient emulator (unset GRADIENT_BASE_URL)');
  const { seedDemo } = await import('../local/demo');
  const { seedConsoleMsp } = await import('../local/console-demo');
  const seeded = await seedDemo(stack.deps, stack.emulator);
  if (seeded) console.log(`seeded the demo: ${seeded.partners} connected MSPs, ${seeded.accounts} companies`);
  return seedConsoleMsp(stack.deps, stack.emulator);
}

const command = process.argv[2] ?? 'sync';
const flags = process.argv.slice(3);
if (command === 'sync') {
  sync().then(
    (code) => process.exit(code),
    (error) => {
      console.error('local sync failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
} else if (command === 'serve') {
  serve(flags.includes('--demo')).catch(async (error) => {
    const { startupFailure } = await import('../local/startup');
    const port = Number(process.env.PORT ?? 3000);
    const ports = { PORT: port, GRADIENT_EMULATOR_PORT: Number(process.env.GRADIENT_EMULATOR_PORT ?? port + 1) };
    console.error('local API failed to start:', startupFailure(error, ports));
    process.exit(1);
  });
} else {
  console.error(`unknown command "${command}": use "sync" (npm start) or "serve" (npm run dev)`);
  process.exit(2);
}
