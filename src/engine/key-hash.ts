// Idempotency keys are remembered per agent as 52-bit hashes (two FNV-1a variants), so a ring of
// recent keys costs 8 bytes an entry instead of a string each. The values live in snapshots and logs:
// the definition cannot change without a format version.
export function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * keyHash of the ASCII text in `bytes` from `from` to `to` (one character a byte), read from the bytes:
 * charCodeAt on a line sliced from a decoded body cost 1.4–1.9× as much (a 170-byte line ~730 against
 * ~390 ns on a slow day), and the intake of unkeyed NDJSON took 0.965–0.979× the time with this.
 */
export function keyHashOfAscii(bytes: Uint8Array, from: number, to: number): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ (to - from);
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * A 30-bit number for an agent id (a small integer, so a Map keyed by it hashes it without reading a
 * string), computed where the signal is parsed. The engine's thread finds agents by it
 * (OrgRuntime.find): each batch's strings arrive there as new objects, and a Map keyed by the id
 * string computed every one's hash and compared its characters on that thread. Kept nowhere: free to change.
 */
export function agentKey(id: string): number {
  let h = 0x811c9dc5 ^ id.length;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 2;
}
