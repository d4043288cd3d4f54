import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretResolver } from '../../lib/config/references.ts';
import { SecretResolutionError } from '../../lib/core/errors.ts';

/**
 * `${secret:ID}` from Secrets Manager (name or ARN), cached for five minutes per container so a
 * suite of checks sharing one secret makes one call.
 */
export function createSecretResolver(provider = new SecretsProvider()): SecretResolver {
  return {
    async resolve(id) {
      const value = await provider.get(id, { maxAge: 300 });
      if (typeof value !== 'string') {
        throw new SecretResolutionError(id, 'the secret has no string value (SecretString)');
      }
      return value;
    },
  };
}
