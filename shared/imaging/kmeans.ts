// k-means over colours: the dominant colours of a sample, from starting centres the caller
// chooses (so results are deterministic). Used for palettes and for background colours.
export type Rgb = [number, number, number];

export interface Clusters {
  centres: Rgb[];
  /** How many samples ended nearest each centre. */
  counts: number[];
}

export function kMeans(samples: readonly Rgb[], initial: readonly Rgb[], rounds: number): Clusters {
  let centres = initial.map((c) => [...c] as Rgb);
  let counts: number[] = centres.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    const sums = centres.map((): Rgb => [0, 0, 0]);
    counts = centres.map(() => 0);
    for (const s of samples) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < centres.length; c++) {
        const d = (s[0] - centres[c]![0]) ** 2 + (s[1] - centres[c]![1]) ** 2 + (s[2] - centres[c]![2]) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      sums[best]![0] += s[0];
      sums[best]![1] += s[1];
      sums[best]![2] += s[2];
      counts[best]! += 1;
    }
    centres = centres.map((c, i) => (counts[i] ? [sums[i]![0] / counts[i]!, sums[i]![1] / counts[i]!, sums[i]![2] / counts[i]!] : c));
  }
  return { centres, counts };
}
