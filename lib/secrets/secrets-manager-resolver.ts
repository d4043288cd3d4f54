import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretResolver } from '../config/references.ts';
import { SecretResolutionError } from '../core/errors.ts';
import { parseSecretReference, pickSecretKey } from './secret-field.ts';

export interface SecretsManagerResolverOptions {
  /** An SDK client (region, endpoint); one is created from the environment when omitted. */
  readonly client?: SecretsManagerClient;
  /** Cache lifetime, so a warm Lambda does not call Secrets Manager on every run. @default 300 */
  readonly maxAgeSeconds?: number;
}

/**
 * `${secret:ID}` from AWS Secrets Manager through Powertools parameters (cached). `ID#key`
 * picks one key of a JSON secret, e.g. `${secret:rds!cluster-abc#password}`. Errors name the
 * secret, never its value.
 */
export class SecretsManagerResolver implements SecretResolver {
  readonly #provider: SecretsProvider;
  readonly #maxAge: number;

  constructor(options: SecretsManagerResolverOptions = {}) {
    this.#provider = new SecretsProvider(options.client ? { awsSdkV3Client: options.client } : {});
    this.#maxAge = options.maxAgeSeconds ?? 300;
  }

  async resolve(reference: string): Promise<string> {
    const { id, key } = parseSecretReference(reference);
    let value: unknown;
    try {
      value = await this.#provider.get(id, { maxAge: this.#maxAge });
    } catch (error) {
      const cause = (error as { cause?: { name?: string } }).cause?.name ?? (error as Error).name;
      throw new SecretResolutionError(reference, `Secrets Manager could not return it (${cause})`);
    }
    const text =
      typeof value === 'string'
        ? value
        : value instanceof Uint8Array
          ? Buffer.from(value).toString('utf8')
          : undefined;
    if (text === undefined) throw new SecretResolutionError(reference, 'the secret has no value');
    return key === undefined ? text : pickSecretKey(reference, text, key);
  }
}
