// A stable 32-bit hash of a text, for schedules that spread partners or lines over nights and days: the same
// text lands on the same slot in every process and release, and neighbouring ids land on unrelated slots.

/** 32-bit FNV-1a with a final avalanche (murmur3's fmix32). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
