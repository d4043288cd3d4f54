/** Keeps secrets and oversized payloads out of results, logs and stored items. */

/** `scheme://user:password@` and `scheme://:password@` (Redis has no user). */
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]+)@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret takes in text: as is, URL-encoded (path or query), form-encoded. */
function secretForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return [...new Set([secret, encoded, encoded.replace(/%20/g, '+')])];
}

/**
 * Replaces URL passwords and every known secret value with `***`. Secrets of 4 characters or more
 * are replaced wherever they appear; shorter ones (a 3-digit PIN) only as a whole token, so
 * ordinary words that contain them stay readable.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(urlCredentials, '$1$2:***@');
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))];
  // Longest first, so a secret that contains another is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  for (const form of forms) {
    out =
      form.length >= 4
        ? out.split(form).join('***')
        : out.replace(
            new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu'),
            '***',
          );
  }
  return out;
}

export interface BoundLimits {
  readonly maxStringLength: number;
  readonly maxArrayLength: number;
  readonly maxDepth: number;
}

const defaultLimits: BoundLimits = { maxStringLength: 2000, maxArrayLength: 100, maxDepth: 8 };

/** Deep copy with secrets redacted, long strings and arrays cut, and non-JSON values dropped. */
export function sanitizeValue(
  value: unknown,
  secrets: readonly string[],
  limits: BoundLimits = defaultLimits,
  depth = 0,
): unknown {
  if (typeof value === 'string') {
    const text = redactText(value, secrets);
    return text.length > limits.maxStringLength
      ? `${text.slice(0, limits.maxStringLength)}… (${text.length - limits.maxStringLength} more characters)`
      : text;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (depth >= limits.maxDepth) return '…';
  if (Array.isArray(value)) {
    const kept = value
      .slice(0, limits.maxArrayLength)
      .map((item) => sanitizeValue(item, secrets, limits, depth + 1));
    if (value.length > limits.maxArrayLength) {
      kept.push(`… ${value.length - limits.maxArrayLength} more`);
    }
    return kept;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function') continue;
      out[key] = sanitizeValue(item, secrets, limits, depth + 1);
    }
    return out;
  }
  return undefined;
}

/** Largest serialized details a result keeps; far below DynamoDB's 400 KB item limit. */
export const maxDetailsBytes = 32 * 1024;

export function boundDetails(
  details: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const clean = sanitizeValue(details, secrets) as Record<string, unknown>;
  const size = Buffer.byteLength(JSON.stringify(clean));
  if (size <= maxDetailsBytes) return clean;
  const smaller = sanitizeValue(details, secrets, {
    maxStringLength: 300,
    maxArrayLength: 20,
    maxDepth: 5,
  }) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(smaller)) <= maxDetailsBytes) {
    return { ...smaller, truncated: true };
  }
  return { truncated: true, originalBytes: size };
}
