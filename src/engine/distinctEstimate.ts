/**
 * How many distinct states a simulation has seen, estimated in fixed memory (HyperLogLog, Flajolet et
 * al. 2007, with its linear-counting correction for small counts). A simulation is meant for bounds
 * beyond exhaustive reach, where keeping every state to count them exactly is what we cannot afford; the
 * estimate uses 16 KiB whatever the count, is within about 1% (one standard error) for large counts and
 * is all but exact below a few thousand. It is deterministic: the same states give the same estimate.
 */

/** 2^14 registers: 16 KiB, a standard error of 1.04 / sqrt(2^14) ≈ 0.8%. */
const P = 14;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export class DistinctEstimate {
  private readonly registers = new Uint8Array(M);

  /** Records one state by a well-mixed 32-bit hash of its canonical bytes. */
  add(hash: number): void {
    const index = hash >>> (32 - P);
    const rest = (hash << P) >>> 0;
    const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  /** The estimated number of distinct hashes added, rounded. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}
