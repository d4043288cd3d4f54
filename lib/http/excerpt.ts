/** Keys whose values never go into an excerpt, whatever the response: tokens, passwords, keys. */
const sensitiveKey =
  /pass(word|wd)?|secret|token|api[-_]?key|authorization|cookie|session|credential|private[-_]?key/i;

function maskSensitive(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskSensitive(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      sensitiveKey.test(key) && item !== null && typeof item !== 'object'
        ? '***'
        : maskSensitive(item, depth + 1),
    ]),
  );
}

/**
 * The start of a response body for `details`: JSON with token- and password-like fields masked,
 * other text as is, cut to `maxChars`. Known secret values are scrubbed later by the engine.
 */
export function bodyExcerpt(text: string, maxChars = 1000): string {
  let shown = text;
  try {
    shown = JSON.stringify(maskSensitive(JSON.parse(text)));
  } catch {
    // Not JSON: shown as received.
  }
  return shown.length > maxChars
    ? `${shown.slice(0, maxChars)}… (${shown.length - maxChars} more characters)`
    : shown;
}
