/**
 * @module engine/redact-secrets
 * Engine configuration ends up in cache keys and cache files, which are shared, committed and uploaded. Secrets must
 * never reach them, wherever they sit: an Azure-style `configuration.defaultQuery: { "api-key": … }` is as secret as a
 * top-level `apiKey`. Redaction works on names and places, because a value alone cannot be told apart from a secret.
 */

/** What a redacted value is replaced with. The key name stays, so the file still shows that something was set. */
export const REDACTED = "[redacted]";

/**
 * Names whose value is a secret: api-key / apiKey / api_key, key and anything ending in -key / _key / …Key, token and
 * anything ending in it (accessToken, x-auth-token — not maxTokens), secret, password, passwd, authorization,
 * credential(s), cookie, signature, private.
 */
const SECRET_NAME = /api[-_]?key|(?:^|[-_.])key$|token$|secret|passw(?:or)?d|authori[sz]ation|credential|cookie|signature|private/i;
/** camelCase names ending in "Key" (secretKey, accessKey); case-sensitive so "monkey" is not one. */
const CAMEL_KEY = /[a-z0-9]Key$/;
/** Containers whose every value is redacted: headers and query strings carry credentials by design. */
const SECRET_PLACE = /headers?$|query$|^auth/i;

/** Whether a property named `name` holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || CAMEL_KEY.test(name);
}

/**
 * A copy of `value` with secrets replaced by {@link REDACTED} at any depth: values of secret-named properties, every
 * value under headers / query / auth containers, and credentials or secret query parameters inside URL strings.
 * Class instances are walked like plain objects (through `toJSON` when they have one, as canonical JSON would);
 * Headers, Maps and anything else with `entries()` are redacted whole.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, false, new Set());
}

function redact(value: unknown, everything: boolean, seen: Set<object>): unknown {
  if (typeof value === "string") return everything ? REDACTED : redactUrl(value);
  if (value === null || typeof value !== "object") return everything && value !== undefined ? REDACTED : value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redact(item, everything, seen));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return redact(toJSON.call(value), everything, seen); // what canonical JSON would see
    // Headers, Map and the like keep their entries out of sight of Object.entries: drop them whole.
    if (!isPlainObject(value) && (everything || typeof (value as { entries?: unknown }).entries === "function")) return REDACTED;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretName(key) && item !== undefined ? REDACTED : redact(item, everything || SECRET_PLACE.test(key), seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Plain objects and arrays are walked directly; anything else may hide its data behind methods. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Strips `user:password@` and secret-named query parameters from a URL; other strings are returned unchanged. */
function redactUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = "";
    url.password = "";
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretName(name) || /^(sig|code|auth)$/i.test(name)) {
      url.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? url.toString() : text;
}
