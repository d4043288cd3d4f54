import { defineCheck } from '../plugin.ts';
import { connectionPoolFields, refineConnectionPoolConfig } from './config.ts';

export const connectionPoolCheck = defineCheck({
  type: 'connection-pool',
  description:
    'Database connections in use (PostgreSQL, MySQL/MariaDB, Redis) against the server limit',
  fields: connectionPoolFields,
  refine: refineConnectionPoolConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: opens several connections and holds them.
  expectedSeconds: 2,
  packages: {
    pg: (config) => config.engine === 'postgres',
    mysql2: (config) => config.engine === 'mysql',
    redis: (config) => config.engine === 'redis',
  },
});
