// Linear-growth checks as ratios within one run, never absolute times (machines are shared and noisy).

/** Best of `rounds` wall-clock timings of `run(input)`, in milliseconds. */
export function bestTime<T>(input: T, run: (input: T) => void, rounds = 3): number {
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
        const started = process.hrtime.bigint();
        run(input);
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    return best;
}

/**
 * Fails unless judging `build(large)` costs at most `maxRatio` times judging `build(small)`, in one of up to
 * `attempts` measurements (load from other processes only inflates a ratio, so the best one counts).
 * Returns without throwing as soon as one measurement is within the ratio.
 */
export function assertLinearGrowth<T>(options: {
    build: (n: number) => T;
    run: (input: T) => void;
    small: number;
    large: number;
    maxRatio: number;
    what: string;
    attempts?: number;
}): void {
    const { build, run, small, large, maxRatio, what } = options;
    bestTime(build(Math.max(1, Math.floor(small / 4))), run); // warm up the JIT
    const smallInput = build(small);
    const largeInput = build(large);
    let report = "";
    for (let attempt = 0; attempt < (options.attempts ?? 3); attempt++) {
        const a = bestTime(smallInput, run);
        const b = bestTime(largeInput, run);
        report = `${small.toLocaleString("en-US")} ${what} took ${a.toFixed(1)} ms, ${large.toLocaleString("en-US")} took ` +
            `${b.toFixed(1)} ms (${(b / a).toFixed(1)}x)`;
        if (b / a <= maxRatio) {
            return;
        }
    }
    throw new Error(`growth is not linear: ${report}`);
}
