// IPv4 addresses as the native module passes them (unsigned 32-bit numbers)
// and as the engine keeps them (dotted strings), converted through bounded
// caches: a steady set of peers costs no string building per datagram, and a
// flood of random sources cannot grow the caches without bound.

const CACHE_MAX = 4096;

export function ipv4ToNumber(address: string): number {
  const p = address.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

export function numberToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export class Ipv4Cache {
  private readonly toNumber = new Map<string, number>();
  private readonly toText = new Map<number, string>();

  number(address: string): number {
    let n = this.toNumber.get(address);
    if (n === undefined) {
      if (this.toNumber.size >= CACHE_MAX) this.toNumber.clear();
      n = ipv4ToNumber(address);
      this.toNumber.set(address, n);
    }
    return n;
  }

  text(n: number): string {
    let s = this.toText.get(n);
    if (s === undefined) {
      if (this.toText.size >= CACHE_MAX) this.toText.clear();
      s = numberToIpv4(n);
      this.toText.set(n, s);
    }
    return s;
  }
}
