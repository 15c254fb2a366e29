/** A configuration problem, reported as one line naming the variable and what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
