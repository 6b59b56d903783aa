/** The least estimated entropy `ADMIN_API_KEY` must carry (a key the gateway makes has 256 random bits). */
export const MIN_KEY_ENTROPY_BITS = 128;

/** The alphabet assumed for a key none of whose characters repeat: printable ASCII. */
const MAX_ASSUMED_ALPHABET = 95;

/** Characters (or steps between them) that must recur together before the next one counts as predictable. */
const CONTEXT = 3;

/**
 * How many of the key's characters a guesser could not predict from the ones before: a character is
 * predictable when it continues an earlier stretch of the key (its last three characters appeared
 * together before: `aaaa`, `abcabc`) or an earlier pattern of steps between characters (its last three
 * steps appeared together before: `abcd`, `2468`, `aabbcc`).
 */
function unpredictableCharacters(codes: number[]): number {
  const stretches = new Set<string>();
  const steps = new Set<string>();
  let count = 0;
  for (let i = 0; i < codes.length; i++) {
    let predictable = false;
    if (i >= CONTEXT - 1) {
      const stretch = codes.slice(i - CONTEXT + 1, i + 1).join(',');
      predictable = stretches.has(stretch);
      stretches.add(stretch);
    }
    if (i >= CONTEXT) {
      const pattern = Array.from({ length: CONTEXT }, (_, k) => codes[i - k] - codes[i - k - 1]).join(',');
      predictable ||= steps.has(pattern);
      steps.add(pattern);
    }
    if (!predictable) count++;
  }
  return count;
}

/**
 * The size of the alphabet a key of `length` characters, `distinct` of them different, appears drawn
 * from: the one whose random draws would show that many distinct characters on average. A random key
 * over 64 symbols is credited about 64, a hex one 16, a key with every character different the most.
 */
function apparentAlphabet(length: number, distinct: number): number {
  const cap = Math.max(MAX_ASSUMED_ALPHABET, distinct);
  const expectedDistinct = (size: number) => size * (1 - (1 - 1 / size) ** length);
  if (distinct >= length || expectedDistinct(cap) <= distinct) return cap;
  let low = distinct;
  let high = cap;
  for (let i = 0; i < 50; i++) {
    const middle = (low + high) / 2;
    if (expectedDistinct(middle) < distinct) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * A conservative estimate of a key's entropy in bits, made to refuse keys a person typed or patterned
 * rather than to rate random ones precisely: the characters not predictable from the ones before, each
 * worth log2 of the alphabet the key appears drawn from. 32 identical characters score 0, `abcabc...`
 * and `abcdef...` a few dozen bits; a random key of 32 base64url characters about 190 (its true entropy is
 * 192; none scored under 135 in a million tries), a key the gateway generates over 220.
 */
export function estimateKeyEntropyBits(key: string): number {
  const codes = Array.from(key, (character) => character.codePointAt(0) as number);
  if (codes.length === 0) return 0;
  const alphabet = apparentAlphabet(codes.length, new Set(codes).size);
  return unpredictableCharacters(codes) * Math.log2(alphabet);
}
