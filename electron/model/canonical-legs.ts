// Canonical leg strings: the normal form formatLeg(parseLeg(s).spec) gives back
// unchanged. One table for every serializer's round-trip test (grammar, command
// line, UI leg form), so that a kind, mode or option one of them forgets fails.
// Keep at least one row per kind, mode, port form and key form.

export const CANONICAL_LEGS: readonly string[] = Object.freeze([
  // W: asked for at start, by name, with spaces, an Npcap device, an index, the grammar's own characters, a quote
  '5000#W:E',
  '5000#W:E@lan1',
  '5000#W:E@Local Area Connection',
  '1#W:E@\\Device\\NPF_{4F6A1C3E-0B7D-4E51-9A39-7D1C2A6B5E10}',
  '0#W:E@3',
  '1#W:E@Intel(R) Ethernet #2 @ slot:3',
  "1#W:E@Bob's NIC",
  // U
  '7#U:E@0.0.0.0:40000:192.0.2.7:40000',
  '7#U:E@127.0.0.1:1:127.0.0.1:65535',
  // V unicast: one peer, HER over several
  '5000#V:E@10.10.1.10:10.10.2.10',
  '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10+10.10.4.10',
  // V multicast
  '5000#V:E@10.1.1.1:239.1.1.1',
  '16777215#V:E@10.1.1.1:224.0.0.0',
  // V provider and access
  '5000#V:E@203.0.113.5:0',
  '5000#V:E@*:203.0.113.5',
  // ports: the IANA port written out stays written out; the Linux port; any other
  '5000#V:E@10.10.1.10:10.10.2.10:4789',
  '5000#V:E@10.1.1.1:239.1.1.1:8472',
  '5000#V:E@203.0.113.5:0:8000',
  '5000#V:E@*:203.0.113.5:8000',
  // keys: literal, with and without port, with characters shells and the grammar care about
  '5000#V:E@203.0.113.5:0*secret:8000',
  '5000#V:E@*:203.0.113.5*secret',
  '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10*secret:4789',
  '5000#V:E@10.1.1.1:239.1.1.1*secret:8472',
  '5000#V:E@10.0.0.1:10.0.0.2*a*b@c#d',
  `5000#V:E@*:203.0.113.5*p$w!'x"\`;&|<>(),~:8000`,
  // a literal key "env" (a NAME never starts with a digit)
  '5000#V:E@10.0.0.1:0*env:8000',
  // keys from the environment
  '5000#V:E@*:203.0.113.5*env:VXB_KEY',
  '5000#V:E@203.0.113.5:0*env:VXB_KEY:8000',
  '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10*env:_k1:8472',
  // keys from a file: POSIX and Windows paths (a path may hold ':'), with and without port, spaces in the path
  '5000#V:E@203.0.113.5:0*file:/etc/vxbridge/lab.key:8000',
  '5000#V:E@*:203.0.113.5*file:C:\\keys\\lab.key',
  '5000#V:E@*:203.0.113.5*file:C:\\Program Files\\vxbridge\\lab.key:4789',
  '5000#V:E@10.1.1.1:239.1.1.1*file:keys/lab.key',
]);
