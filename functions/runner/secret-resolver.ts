import type { SecretResolver } from '../../lib/config/references.ts';
import { SecretsManagerResolver } from '../../lib/secrets/secrets-manager-resolver.ts';

/** `${secret:ID}` (or `ID#field`) from Secrets Manager, cached per container. */
export function createSecretResolver(): SecretResolver {
  return new SecretsManagerResolver();
}
