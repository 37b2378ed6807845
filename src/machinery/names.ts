// Names for objects created with metadata.generateName, as upstream's
// apiserver storage/names: the prefix, cut so that the result fits a
// 63-character DNS label, plus 5 random characters from an alphabet
// without vowels (no accidental words) and without 0/1/3 (no look-alikes).

import { randomInt } from 'node:crypto';

/** Upstream utilrand's alphabet. */
export const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
export const generateNameRandomLength = 5;
/** The longest prefix kept: 63 - 5. */
export const maxGeneratedNameLength = 63 - generateNameRandomLength;

/** Returns a random integer in [0, n); injectable for tests. */
export type RandomIndex = (n: number) => number;

const cryptoIndex: RandomIndex = (n) => randomInt(n);

/**
 * `base` cut to 58 characters, followed by 5 random characters. The base is
 * not validated here: the result is validated as any name would be. (Upstream
 * cuts at 58 bytes; names that can pass validation are ASCII, so the two agree.)
 */
export function generateName(base: string, random: RandomIndex = cryptoIndex): string {
  let suffix = '';
  for (let i = 0; i < generateNameRandomLength; i++) suffix += generateNameAlphabet[random(generateNameAlphabet.length)] ?? '';
  return base.slice(0, maxGeneratedNameLength) + suffix;
}
