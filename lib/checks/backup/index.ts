import { defineCheck } from '../plugin.ts';
import { backupFields, backupGrants, refineBackupConfig } from './config.ts';

export const backupCheck = defineCheck({
  type: 'backup',
  description: "Last night's backup exists, is recent and is not suspiciously small (file or S3)",
  fields: backupFields,
  refine: refineBackupConfig,
  load: () => import('./run.ts'),
  grants: backupGrants,
});
