/** Increasing ids, like a database identity column; a state reset does not restart them. */
export class Sequence {
  private last: number;

  constructor(first: number) {
    this.last = first - 1;
  }

  next(): number {
    this.last += 1;
    return this.last;
  }
}
