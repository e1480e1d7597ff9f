#!/usr/bin/env node
// `gbs`, the operator CLI (client/cli/main.ts), installed with the package ("bin"): loads the TypeScript
// sources through tsx's require hook, so there is no build step.
const { register } = require('tsx/cjs/api');

register();
const { main } = require('../client/cli/main.ts');

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
