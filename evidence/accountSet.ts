/** A set of account positions as a bitset: unions over thousands of accounts stay cheap per control. */
export class AccountSet {
  readonly words: Uint32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
  }

  add(index: number): void {
    this.words[index >>> 5] |= 1 << (index & 31);
  }

  has(index: number): boolean {
    return (this.words[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  /** Adds every member of `other` (same size) to this set. */
  addAll(other: AccountSet): void {
    const words = this.words;
    const from = other.words;
    for (let i = 0; i < words.length; i++) words[i] |= from[i];
  }

  size(): number {
    let total = 0;
    for (let word of this.words) {
      while (word !== 0) {
        word &= word - 1;
        total++;
      }
    }
    return total;
  }

  forEach(fn: (index: number) => void): void {
    const words = this.words;
    for (let w = 0; w < words.length; w++) {
      let word = words[w];
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        fn(w * 32 + bit);
        word &= word - 1;
      }
    }
  }
}
