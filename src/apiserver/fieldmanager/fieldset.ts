// A set of field paths, stored as a trie: each node is one path element,
// marked when the path ending there is in the set. A node can be in the set
// and have members below it (a map its manager created and the keys in it).
// Operations return new sets; nodes with nothing in the set below them are
// never kept, so an empty set has no children.
import { compareElements, type Path, type PathElement } from './pathelement.js';

export class FieldSet {
  /** True when the path to this node is in the set (meaningless at the root). */
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  static of(paths: readonly Path[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (const pe of path) {
      let next = node.children.get(pe);
      if (!next) {
        next = new FieldSet();
        node.children.set(pe, next);
      }
      node = next;
    }
    node.member = true;
  }

  has(path: Path): boolean {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return false;
    }
    return path.length > 0 && node.member;
  }

  /** The node at `pe` below this one, if anything in the set lies there. */
  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  isEmpty(): boolean {
    for (const child of this.children.values()) if (child.member || !child.isEmpty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      out.children.set(pe, theirs ? child.union(theirs) : child.copy());
    }
    for (const [pe, child] of other.children) if (!this.children.has(pe)) out.children.set(pe, child.copy());
    return out;
  }

  /** The paths of this set that are not in `other` (exact paths: a member of other does not remove what lies below it). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      out.adopt(pe, theirs ? child.difference(theirs) : child.copy());
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      if (theirs) out.adopt(pe, child.intersection(theirs));
    }
    return out;
  }

  /** This set without every path at or below a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      if (!theirs) out.children.set(pe, child.copy());
      else if (!theirs.member) out.adopt(pe, child.recursiveDifference(theirs));
    }
    return out;
  }

  /**
   * A copy where every field (`f:`) node of the trie is a member: a field
   * that leads to a member counts as managed itself, for pruning.
   */
  withFieldsAsMembers(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, child] of this.children) {
      const copy = child.withFieldsAsMembers();
      if (pe.startsWith('f:')) copy.member = true;
      out.children.set(pe, copy);
    }
    return out;
  }

  /** Every path in the set: at each level the members first, then the levels below, each in encoding order. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    const sorted = [...this.children.keys()].sort(compareElements);
    for (const pe of sorted) if (this.children.get(pe)?.member) out.push([...prefix, pe]);
    for (const pe of sorted) {
      const child = this.children.get(pe);
      if (child && child.children.size > 0) out.push(...child.paths([...prefix, pe]));
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.member !== other.member || this.children.size !== other.children.size) return false;
    for (const [pe, child] of this.children) {
      const theirs = other.children.get(pe);
      if (!theirs || !child.equals(theirs)) return false;
    }
    return true;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, child] of this.children) out.children.set(pe, child.copy());
    return out;
  }

  /** Keeps `child` under `pe` unless nothing in the set lies there. */
  private adopt(pe: PathElement, child: FieldSet): void {
    if (child.member || child.children.size > 0) this.children.set(pe, child);
  }
}
