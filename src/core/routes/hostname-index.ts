import { isWildcardHostname, properSuffixes } from './intersect-hostnames.ts';

/**
 * Finds, without scanning everything, the stored entries whose hostname intersects a query hostname
 * (Gateway API rules, `''` = any). Precise hostnames are indexed by value and by each DNS suffix,
 * wildcards by their base and each suffix of it.
 */
export class HostnameIndex<T> {
  private readonly any: T[] = [];
  private readonly exact = new Map<string, T[]>();
  private readonly preciseBySuffix = new Map<string, T[]>();
  private readonly wildcardByBase = new Map<string, T[]>();
  private readonly wildcardBySuffix = new Map<string, T[]>();
  private readonly all: T[] = [];

  add(hostname: string, value: T): void {
    this.all.push(value);
    if (hostname === '') {
      this.any.push(value);
    } else if (isWildcardHostname(hostname)) {
      const base = hostname.slice(2);
      push(this.wildcardByBase, base, value);
      for (const s of properSuffixes(base)) push(this.wildcardBySuffix, s, value);
    } else {
      push(this.exact, hostname, value);
      for (const s of properSuffixes(hostname)) push(this.preciseBySuffix, s, value);
    }
  }

  /** Every entry whose hostname intersects `hostname`. Each entry once per time it was added. */
  query(hostname: string): T[] {
    if (hostname === '') return [...this.all];
    const out: T[] = [...this.any];
    if (isWildcardHostname(hostname)) {
      const base = hostname.slice(2);
      out.push(...(this.preciseBySuffix.get(base) ?? []));
      out.push(...(this.wildcardByBase.get(base) ?? []));
      out.push(...(this.wildcardBySuffix.get(base) ?? []));
      for (const s of properSuffixes(base)) out.push(...(this.wildcardByBase.get(s) ?? []));
    } else {
      out.push(...(this.exact.get(hostname) ?? []));
      for (const s of properSuffixes(hostname)) out.push(...(this.wildcardByBase.get(s) ?? []));
    }
    return out;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
