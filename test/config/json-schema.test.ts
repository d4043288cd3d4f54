import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkPlugins } from '../../lib/checks/registry.ts';
import { configJsonSchema } from '../../lib/config/json-schema.ts';
import { notifierPlugins } from '../../lib/notify/registry.ts';
import { repoRoot } from '../support/run-cli.ts';

describe('healthchecks.schema.json', () => {
  it('is committed and matches the zod schema (regenerate with npm run schema)', async () => {
    const committed = JSON.parse(await readFile(`${repoRoot}healthchecks.schema.json`, 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes every check type with its own fields, and rejects unknown top-level keys', () => {
    const schema = configJsonSchema() as {
      additionalProperties?: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    const checks = JSON.stringify(schema.properties['checks']);
    expect(checkPlugins.length).toBeGreaterThanOrEqual(5);
    for (const plugin of checkPlugins) {
      expect(checks, plugin.type).toContain(`"const":"${plugin.type}"`);
      for (const field of Object.keys(plugin.fields)) {
        expect(checks, `${plugin.type}.${field}`).toContain(`"${field}":`);
      }
    }
  });

  it('describes every configurable notifier from the registry', () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: object }> };
    const notifications = Object.keys(schema.properties['notifications']?.properties ?? {});
    const configurable = notifierPlugins.flatMap((p) => (p.configKey ? [p.configKey] : []));
    expect(configurable.length).toBeGreaterThan(0);
    expect(notifications.sort()).toEqual([...configurable].sort());
  });
});
