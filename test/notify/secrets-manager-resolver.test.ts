import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerResolver } from '../../lib/secrets/secrets-manager-resolver.ts';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

describe('SecretsManagerResolver', () => {
  it('resolves a secret once and serves it from the cache afterwards', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'erp/pagerduty' })
      .resolves({ SecretString: 'k'.repeat(32) });
    const resolver = new SecretsManagerResolver({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
    });
    expect(await resolver.resolve('erp/pagerduty')).toBe('k'.repeat(32));
    expect(await resolver.resolve('erp/pagerduty')).toBe('k'.repeat(32));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('picks a field of a JSON secret', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'erp/db' })
      .resolves({ SecretString: '{"password":"s3cr3t-pw","port":5432}' });
    const resolver = new SecretsManagerResolver({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
    });
    expect(await resolver.resolve('erp/db#password')).toBe('s3cr3t-pw');
    await expect(resolver.resolve('erp/db#user')).rejects.toThrow(
      'the secret has no key "user" (it has: password, port)',
    );
  });

  it('names the secret, never a value, when it cannot be read', async () => {
    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
    });
    secrets.on(GetSecretValueCommand).rejects(denied);
    const resolver = new SecretsManagerResolver({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
    });
    const error = await resolver.resolve('erp/missing').catch((e) => e);
    expect(error.name).toBe('SecretResolutionError');
    expect(error.message).toMatch(
      /^secret "erp\/missing" could not be resolved: Secrets Manager could not return it/,
    );
  });
});
