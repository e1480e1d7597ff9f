// Writes the OpenAPI document generated from the API's route table and zod schemas to openapi.json at the repository root.
// `--check` writes nothing and exits 1 when the committed file differs from what the code generates (CI).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderOpenApi } from '../lambdas/handlers/api/openapi';
import { apiDocument } from '../lambdas/handlers/api/routes';

const target = resolve(__dirname, '..', 'openapi.json');
const expected = renderOpenApi(apiDocument());

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== expected) {
    console.error('openapi.json is stale: run `npx tsx scripts/openapi.ts` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.json is up to date.');
} else {
  writeFileSync(target, expected);
  console.log(`wrote ${target}`);
}
