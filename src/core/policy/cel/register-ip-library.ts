import { type Environment, EvaluationError } from '@marcbachmann/cel-js';

/** An IPv4 or IPv6 address as a 32- or 128-bit integer. */
export class CelIp {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  toString(): string {
    if (this.family === 4) {
      return [24n, 16n, 8n, 0n].map((shift) => String((this.value >> shift) & 255n)).join('.');
    }
    const groups = Array.from({ length: 8 }, (_, i) =>
      Number((this.value >> BigInt(112 - 16 * i)) & 0xffffn),
    );
    let bestStart = -1;
    let bestLength = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  }
}

export class CelCidr {
  constructor(
    readonly ip: CelIp,
    readonly prefixLength: number,
  ) {}

  get mask(): bigint {
    const bits = BigInt(this.ip.bits);
    return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(this.prefixLength))) - 1n);
  }

  contains(ip: CelIp): boolean {
    return ip.family === this.ip.family && (ip.value & this.mask) === (this.ip.value & this.mask);
  }

  toString(): string {
    return `${this.ip}/${this.prefixLength}`;
  }
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = toGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses an address the way the Kubernetes `ip()` function accepts it (no zones, no IPv4-mapped IPv6). */
export function parseIp(text: string): CelIp | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return new CelIp(4, v4);
  if (text.includes('.')) return undefined; // IPv4-mapped or IPv4-embedded IPv6 is refused
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : new CelIp(6, v6);
}

export function parseCidr(text: string): CelCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > ip.bits) return undefined;
  return new CelCidr(ip, Number(prefix));
}

function requireIp(text: string): CelIp {
  const ip = parseIp(text);
  if (!ip) throw new EvaluationError(`IP Address '${text}' parse error during conversion from string`);
  return ip;
}

function requireCidr(text: string): CelCidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new EvaluationError(`network address parse error during conversion from string: ${text}`);
  return cidr;
}

function inRange(ip: CelIp, cidr: string): boolean {
  return requireCidr(cidr).contains(ip);
}

/** The Kubernetes CEL IP and CIDR libraries (`ip('10.0.0.1').family()`, `cidr('10.0.0.0/8').containsIP(...)`). */
export function registerIpLibrary(env: Environment): void {
  env
    .registerType('net.IP', CelIp)
    .registerType('net.CIDR', CelCidr)
    .registerFunction('ip(string): net.IP', requireIp)
    .registerFunction('isIP(string): bool', (text: string) => parseIp(text) !== undefined)
    .registerFunction('net.IP.family(): int', (ip: CelIp) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: CelIp) => ip.value === 0n)
    .registerFunction('net.IP.isLoopback(): bool', (ip: CelIp) =>
      ip.family === 4 ? inRange(ip, '127.0.0.0/8') : ip.value === 1n,
    )
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: CelIp) =>
      ip.family === 4 ? inRange(ip, '224.0.0.0/24') : inRange(ip, 'ff02::/16'),
    )
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: CelIp) =>
      ip.family === 4 ? inRange(ip, '169.254.0.0/16') : inRange(ip, 'fe80::/10'),
    )
    .registerFunction('net.IP.isGlobalUnicast(): bool', (ip: CelIp) =>
      ip.family === 4
        ? ip.value !== 0xffffffffn &&
          !['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4'].some((c) => inRange(ip, c))
        : ip.value !== 0n && ip.value !== 1n && !['fe80::/10', 'ff00::/8'].some((c) => inRange(ip, c)),
    )
    .registerFunction('cidr(string): net.CIDR', requireCidr)
    .registerFunction('isCIDR(string): bool', (text: string) => parseCidr(text) !== undefined)
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CelCidr, ip: CelIp) => c.contains(ip))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CelCidr, ip: string) =>
      c.contains(requireIp(ip)),
    )
    .registerFunction(
      'net.CIDR.containsCIDR(net.CIDR): bool',
      (c: CelCidr, o: CelCidr) => o.prefixLength >= c.prefixLength && c.contains(o.ip),
    )
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CelCidr, text: string) => {
      const o = requireCidr(text);
      return o.prefixLength >= c.prefixLength && c.contains(o.ip);
    })
    .registerFunction('net.CIDR.ip(): net.IP', (c: CelCidr) => c.ip)
    .registerFunction(
      'net.CIDR.masked(): net.CIDR',
      (c: CelCidr) => new CelCidr(new CelIp(c.ip.family, c.ip.value & c.mask), c.prefixLength),
    )
    .registerFunction('net.CIDR.prefixLength(): int', (c: CelCidr) => BigInt(c.prefixLength))
    .registerOperator(
      'net.IP == net.IP',
      (a: CelIp, b: CelIp) => a.family === b.family && a.value === b.value,
    )
    .registerOperator('net.CIDR == net.CIDR', (a: CelCidr, b: CelCidr) => a.toString() === b.toString());
}
