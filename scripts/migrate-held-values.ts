// `npm run migrate:held-values`: the one-off move of the diff basis from the legacy `accepted` table to `held`
// (lambdas/migrations/held-from-accepted.ts), for an existing deployment, with the operator's credentials.
//
//   TABLE_ACCEPTED=… TABLE_HELD=… TABLE_MAPPINGS=… TABLE_PARTNERS=… npm run migrate:held-values
import * as z from 'zod';
import { createDocumentClient, createDynamoClient } from '../lambdas/adapters/dynamo';
import { migrateHeldValues } from '../lambdas/migrations/held-from-accepted';

const tablesSchema = z.object({
  TABLE_ACCEPTED: z.string().min(1),
  TABLE_HELD: z.string().min(1),
  TABLE_MAPPINGS: z.string().min(1),
  TABLE_PARTNERS: z.string().min(1),
});

async function main(): Promise<void> {
  const parsed = tablesSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`set ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} to the physical table names`);
    process.exit(2);
  }
  const client = createDynamoClient();
  try {
    const result = await migrateHeldValues(createDocumentClient(client), parsed.data);
    console.log(
      result.ran
        ? `held values migrated: ${result.read} legacy items read, ${result.written} written, ${result.skipped} skipped`
        : 'held values were migrated before: nothing to do',
    );
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
