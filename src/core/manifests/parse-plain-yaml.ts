import { parse } from 'yaml';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';

/**
 * One YAML document as plain data, for files read without positions (kyverno test files, values,
 * user info): `yaml`'s `parse` with `__proto__` keys removed, so no copy of the data can take an
 * input-chosen prototype. Throws what `parse` throws.
 */
export function parsePlainYaml(text: string): unknown {
  const value: unknown = parse(text);
  dropUnsafeKeys(value, text);
  return value;
}
