import { afterAll, expect } from 'vitest';

/**
 * Loaded before every test file (vitest `setupFiles`): whatever a test feeds Tollgate, no
 * property may be added to the prototypes every object and array inherits from. A walker that
 * writes through `__proto__` fails the file that exercised it, whichever file that is.
 */
const PROTOTYPES = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype };
const before = Object.fromEntries(
  Object.entries(PROTOTYPES).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]),
);

afterAll(() => {
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    expect(Reflect.ownKeys(proto).map(String).sort(), `${name} was modified`).toEqual(before[name]);
  }
});
