// IPv4 address checks for leg strings. Pure, no Node imports (the renderer uses them too).
//
// An IPv4 address here is a strict dotted quad: four decimal numbers 0..255
// joined by '.', digits only, no leading zeros. "010.0.0.1" is rejected rather
// than guessed at, because inet_aton() and ping read it as octal (8.0.0.1)
// while other tools read it as decimal. No short forms ("10.1"), no hex, no spaces.

/** Why `s` is not a strict dotted-quad IPv4 address, or undefined if it is one. */
export function ipv4Problem(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return `'${s}' is not an IPv4 address (four numbers a.b.c.d)`;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return `'${s}' is not an IPv4 address ('${part}' is not a number 0..255)`;
    if (part.length > 1 && part.startsWith('0')) {
      return `'${s}' is ambiguous: '${part}' has a leading zero, which some tools read as octal`;
    }
    if (Number(part) > 255) return `'${s}' is not an IPv4 address (${part} is more than 255)`;
  }
  return undefined;
}

export function isIpv4(s: string): boolean {
  return ipv4Problem(s) === undefined;
}

/** A strict IPv4 address in 224.0.0.0/4. */
export function isMulticastIpv4(s: string): boolean {
  return isIpv4(s) && firstOctet(s) >= 224 && firstOctet(s) <= 239;
}

/** Why `s` cannot be a unicast peer (a VTEP or a UDP peer to send to), or undefined if it can. */
export function unicastProblem(s: string): string | undefined {
  const problem = ipv4Problem(s);
  if (problem !== undefined) return problem;
  if (isMulticastIpv4(s)) return `'${s}' is a multicast address, not a single host`;
  if (s === '0.0.0.0') return `'0.0.0.0' means "any address" and cannot be sent to`;
  if (s === '255.255.255.255') return `'255.255.255.255' is the broadcast address, not a single host`;
  return undefined;
}

function firstOctet(s: string): number {
  return Number(s.slice(0, s.indexOf('.')));
}
