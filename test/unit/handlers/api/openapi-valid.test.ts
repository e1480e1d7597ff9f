// The OpenAPI document checked by a real validator (@readme/openapi-parser): the generated document and the
// committed openapi.json are valid OpenAPI 3.1, with no warnings. The hand shape checks live in openapi.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { apiDocument } from '../../../../lambdas/handlers/api/routes';

type Document = Parameters<typeof validate>[0];

/** The validator dereferences the document it is given in place: hand it a copy. */
const check = (doc: unknown) => validate(structuredClone(doc) as Document);

const committed = (): unknown => JSON.parse(readFileSync(join(__dirname, '../../../../openapi.json'), 'utf8'));

describe('OpenAPI document, checked by @readme/openapi-parser', () => {
  it('is a valid OpenAPI 3.1 document as generated, without warnings', async () => {
    const doc = apiDocument();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await check(doc);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI', warnings: [] });
  });

  it('is a valid OpenAPI 3.1 document as committed in openapi.json, without warnings', async () => {
    const result = await check(committed());
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI', warnings: [] });
  });

  // biome-ignore lint/suspicious/noExplicitAny: the document is edited as plain JSON
  type Json = any;
  const firstOperation = (doc: Json): Json => {
    const item = Object.values(doc.paths as object)[0] as Json;
    return item[Object.keys(item)[0]!];
  };
  const broken: Array<[string, (doc: Json) => void, RegExp]> = [
    ['without info', (doc) => delete doc.info, /info/],
    [
      'with a $ref to a schema it does not define',
      (doc) => {
        firstOperation(doc).responses['200'] = {
          description: 'x',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NoSuchSchema' } } },
        };
      },
      /NoSuchSchema/,
    ],
    [
      'with one operationId used twice',
      (doc) => {
        const ops = Object.values(doc.paths as object).flatMap((item) => Object.values(item as object));
        ops[1].operationId = ops[0].operationId;
      },
      /operationId/,
    ],
  ];

  it.each(broken)('is checked for real: the validator rejects the document %s', async (_, breakIt, message) => {
    const doc = structuredClone(apiDocument()) as Json;
    breakIt(doc);
    const result = await check(doc);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : compileErrors(result)).toMatch(message);
  });
});
