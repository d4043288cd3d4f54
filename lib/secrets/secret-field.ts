import { SecretResolutionError } from '../core/errors.ts';

/**
 * `${secret:ID#jsonKey}` picks one key of a JSON secret (RDS-managed secrets are JSON:
 * `{"username": ..., "password": ...}`). Secret names cannot contain `#`, so the first one
 * separates the id from the key. Shared by the Secrets Manager and the local resolvers so both
 * read the same reference the same way.
 */
export interface SecretReference {
  readonly id: string;
  readonly key?: string;
}

export function parseSecretReference(reference: string): SecretReference {
  const at = reference.indexOf('#');
  if (at < 0) return { id: reference.trim() };
  return { id: reference.slice(0, at).trim(), key: reference.slice(at + 1).trim() };
}

/** The value of `key` in the JSON secret `text`; errors name the reference, never the value. */
export function pickSecretKey(reference: string, text: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretResolutionError(reference, `the secret is not JSON, so it has no key "${key}"`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretResolutionError(reference, `the secret is not a JSON object`);
  }
  const picked = (parsed as Record<string, unknown>)[key];
  if (typeof picked === 'string' || typeof picked === 'number' || typeof picked === 'boolean') {
    return String(picked);
  }
  if (picked === undefined) {
    const keys = Object.keys(parsed).slice(0, 10).join(', ');
    throw new SecretResolutionError(
      reference,
      `the secret has no key "${key}"${keys ? ` (it has: ${keys})` : ''}`,
    );
  }
  throw new SecretResolutionError(reference, `key "${key}" is not a string or number`);
}
