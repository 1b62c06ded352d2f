/** Slots of a cache: a capture's subnets times their PA pairs (or CA pairs) number in the hundreds. */
const SLOTS = 1024;

/**
 * What a subnet last found for a pair of IPv4 addresses, in front of the Maps that hold it for
 * good: a subnet's few address pairs recur frame after frame, and each lookup in a Map keyed by
 * an address past 2^30 (most are) boxes the number and hashes it; --stats made four a frame, a
 * fifth of Stats.add. Direct-mapped, one entry a slot, checked against the subnet and both
 * addresses; an entry is only ever what the Maps answered, so a hit gives their answer and a
 * miss costs what it did before. One cache for all the subnets keeps memory bounded however
 * many subnets a capture has.
 */
export class RecentPairs<T> {
  private readonly owners: (object | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);
  /** NaN equals nothing: an empty slot. */
  private readonly as = new Float64Array(SLOTS).fill(Number.NaN);
  private readonly bs = new Float64Array(SLOTS);
  private readonly values: (T | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);

  /** The value set for owner's pair (a, b) if its slot still holds it. */
  get(owner: object, ownerId: number, a: number, b: number): T | undefined {
    const s = slot(ownerId, a, b);
    return this.owners[s] === owner && this.as[s] === a && this.bs[s] === b ? this.values[s] : undefined;
  }

  set(owner: object, ownerId: number, a: number, b: number, value: T): void {
    const s = slot(ownerId, a, b);
    this.owners[s] = owner;
    this.as[s] = a;
    this.bs[s] = b;
    this.values[s] = value;
  }
}

/** The low bits of hosts' addresses differ most; the owner's id spreads subnets with the same hosts. */
const slot = (id: number, a: number, b: number): number => (Math.imul(id, 0x9e3779b1) ^ a ^ Math.imul(b, 31)) & (SLOTS - 1);
