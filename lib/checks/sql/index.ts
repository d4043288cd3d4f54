import { defineCheck } from '../plugin.ts';
import { refineSqlConfig, sqlFields } from './config.ts';

export const sqlCheck = defineCheck({
  type: 'sql',
  description:
    'One read-only SQL statement (PostgreSQL/CockroachDB, MySQL/MariaDB) judged on its rows or first value',
  fields: sqlFields,
  refine: refineSqlConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: connects and runs a query.
  expectedSeconds: 1,
  packages: {
    pg: (config) => config.engine === 'postgres',
    mysql2: (config) => config.engine === 'mysql',
  },
});
