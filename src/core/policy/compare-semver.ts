function parse(v: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function satisfies(version: number[], clause: string): boolean {
  const m = /^(>=|<=|>|<|==|=|!=|!)?\s*(.+)$/.exec(clause.trim());
  if (!m) return false;
  const other = parse(m[2] ?? '');
  if (!other) throw new Error(`semver_compare: invalid version ${JSON.stringify(m[2])}`);
  const c = cmp(version, other);
  switch (m[1]) {
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '!':
    case '!=':
      return c !== 0;
    default:
      return c === 0;
  }
}

/** Kyverno `semver_compare(version, range)`: ranges like `>1.0.0 <2.0.0 || >=3.0.0`. */
export function compareSemver(version: string, range: string): boolean {
  const v = parse(version);
  if (!v) throw new Error(`semver_compare: invalid version ${JSON.stringify(version)}`);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((clause) => satisfies(v, clause)),
  );
}
