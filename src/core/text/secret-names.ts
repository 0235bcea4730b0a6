/**
 * Whether a variable's (or a flag's) name says it holds a secret: one of its parts, split at
 * `_ - .` and camelCase, is token, key, secret, password… (`HF_TOKEN`, `wandbApiKey`), but not a
 * Python class named so (`KeyError`) nor a word that merely starts so (`TOKENIZERS_PARALLELISM`).
 */

const SECRET_PARTS = new Set(['token', 'key', 'secret', 'password', 'passwd', 'apikey']);
/** KeyError, TokenizerWarning…: names of Python classes, not of variables. */
const CLASS_SUFFIX = /(?:Error|Exception|Warning)$/;

export function isSecretName(name: string): boolean {
  if (CLASS_SUFFIX.test(name)) return false;
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/);
  return parts.some((part) => SECRET_PARTS.has(part));
}
