// Exhaustive switches over unions: a new member that a switch forgets fails to
// compile (x is not `never`), and a value from outside the type fails loudly.

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
