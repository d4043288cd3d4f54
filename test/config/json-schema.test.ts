import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../lib/config/json-schema.ts';
import { repoRoot } from '../support/run-cli.ts';

describe('healthchecks.schema.json', () => {
  it('is committed and matches the zod schema (regenerate with npm run schema)', async () => {
    const committed = JSON.parse(await readFile(`${repoRoot}healthchecks.schema.json`, 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes every check type and rejects unknown top-level keys', () => {
    const schema = configJsonSchema() as {
      additionalProperties?: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema.properties['checks'])).toContain('"const":"disk"');
  });
});
