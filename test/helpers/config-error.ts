import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';

/** The ConfigError `f` throws (fails the test when it throws nothing or something else). */
export function configErrorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
