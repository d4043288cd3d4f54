import { awsS3Read } from '../../s3/s3-fields.ts';
import { defineCheck } from '../plugin.ts';
import { backupFields, refineBackupConfig } from './config.ts';

export const backupCheck = defineCheck({
  type: 'backup',
  description: "Last night's backup exists, is recent and is not suspiciously small (file or S3)",
  fields: backupFields,
  refine: refineBackupConfig,
  load: () => import('./run.ts'),
  // Shard balancing weight: a few S3 listings or file stats.
  expectedSeconds: 1,
  grants: (config) => {
    const read = awsS3Read(config.location, config);
    return read ? [{ kind: 's3-read', ...read }] : [];
  },
});
