/** The committed client types (contracts/openapi.d.ts) are what the served document generates now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, TYPES_FILE } from '../../scripts/openapi-types';

describe('the generated client types', () => {
  it('match the OpenAPI document (else run `npm run openapi:types` and commit the file)', async () => {
    expect(readFileSync(TYPES_FILE, 'utf8') === (await generateTypes())).toBe(true);
  }, 60_000);
});
