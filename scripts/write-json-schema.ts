import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../lib/config/json-schema.ts';

const target = new URL('../healthchecks.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
