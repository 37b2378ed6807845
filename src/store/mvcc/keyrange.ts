// etcd key ranges as half-open byte intervals. Keys compare bytewise
// (Buffer.compare is memcmp), so "\x00" and "\xff" inside keys just work.

/** [from, to); `to === null` means no upper bound. */
export interface KeyRange {
  readonly from: Buffer;
  readonly to: Buffer | null;
}

/**
 * etcd's (key, range_end) pair as an interval:
 * - empty or absent rangeEnd: the single key, i.e. [key, key + "\0");
 * - rangeEnd "\0": every key >= key (with key "\0": all keys);
 * - otherwise [key, rangeEnd), which is empty when rangeEnd <= key.
 */
export function normalizeRange(key: Buffer, rangeEnd?: Buffer): KeyRange {
  if (rangeEnd === undefined || rangeEnd.length === 0) return { from: key, to: keySuccessor(key) };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { from: key, to: null };
  return { from: key, to: rangeEnd };
}

/** The smallest key greater than `key`: key + "\0". */
export function keySuccessor(key: Buffer): Buffer {
  const out = Buffer.alloc(key.length + 1);
  key.copy(out);
  return out;
}

/**
 * The range_end that selects every key starting with `prefix`: the prefix with
 * its last non-0xff byte incremented and the rest dropped ("a\xff" → "b").
 * An empty or all-0xff prefix has no such bound and gets "\0" (all keys >=).
 */
export function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i];
    if (byte !== undefined && byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

export function inRange(key: Buffer, range: KeyRange): boolean {
  if (Buffer.compare(key, range.from) < 0) return false;
  return range.to === null || Buffer.compare(key, range.to) < 0;
}

export function isEmptyRange(range: KeyRange): boolean {
  return range.to !== null && Buffer.compare(range.to, range.from) <= 0;
}

/** True when the range can hold exactly one key (from), so a point lookup answers it. */
export function isSingleKey(range: KeyRange): boolean {
  const { from, to } = range;
  return to !== null && to.length === from.length + 1 && to[from.length] === 0 && to.subarray(0, from.length).equals(from);
}
