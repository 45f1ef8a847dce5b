// Linear-growth checks as ratios within one process, never absolute times (machines are shared and noisy, and
// `npm test` runs two mocha workers beside the type-checker and the linter).
//
// What is timed is this process's CPU time (process.cpuUsage: user + system, every thread of the process), not
// wall-clock time: another process on the same cores (the other mocha worker, tsc, another job) delays a
// measurement's wall time by whatever it runs meanwhile, but adds nothing to this process's CPU time. The small
// and the large input are timed alternately, round after round, so a slower stretch (a busy memory bus, a
// throttled core) lands on both sides of the ratio rather than on one.

/** This process's CPU time (user + system) spent in `run(input)`, and its wall time, in milliseconds. */
function timeOnce<T>(input: T, run: (input: T) => void): { cpu: number; wall: number } {
    const cpuStart = process.cpuUsage();
    const wallStart = process.hrtime.bigint();
    run(input);
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
    const cpu = process.cpuUsage(cpuStart);
    return { cpu: (cpu.user + cpu.system) / 1000, wall };
}

/**
 * This process's CPU time (user + system) spent in `run()`, in milliseconds, with its result: for a bound on a
 * single synchronous step ("in seconds") that another process on the same cores must not be able to break.
 */
export function cpuMilliseconds<R>(run: () => R): { ms: number; result: R } {
    const started = process.cpuUsage();
    const result = run();
    const used = process.cpuUsage(started);
    return { ms: (used.user + used.system) / 1000, result };
}

/** Best of `rounds` CPU timings of `run(input)`, in milliseconds. */
export function bestTime<T>(input: T, run: (input: T) => void, rounds = 3): number {
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
        best = Math.min(best, timeOnce(input, run).cpu);
    }
    return best;
}

/**
 * Fails unless judging `build(large)` costs at most `maxRatio` times judging `build(small)` in CPU time, in one of
 * up to `attempts` measurements (each the best of `rounds` alternate timings of either input: interference from
 * elsewhere only inflates a timing, so the best one counts). Returns as soon as one measurement is within the ratio.
 */
export function assertLinearGrowth<T>(options: {
    build: (n: number) => T;
    run: (input: T) => void;
    small: number;
    large: number;
    maxRatio: number;
    what: string;
    attempts?: number;
    rounds?: number;
}): void {
    const { build, run, small, large, maxRatio, what } = options;
    bestTime(build(Math.max(1, Math.floor(small / 4))), run); // warm up the JIT
    const smallInput = build(small);
    const largeInput = build(large);
    const reports: string[] = [];
    for (let attempt = 0; attempt < (options.attempts ?? 3); attempt++) {
        let a = { cpu: Infinity, wall: Infinity };
        let b = { cpu: Infinity, wall: Infinity };
        for (let round = 0; round < (options.rounds ?? 3); round++) {
            const s = timeOnce(smallInput, run);
            const l = timeOnce(largeInput, run);
            a = { cpu: Math.min(a.cpu, s.cpu), wall: Math.min(a.wall, s.wall) };
            b = { cpu: Math.min(b.cpu, l.cpu), wall: Math.min(b.wall, l.wall) };
        }
        // A run too short for the clock's resolution counts as one tick, never as zero (no division by zero).
        const ratio = b.cpu / Math.max(a.cpu, 0.001);
        reports.push(`${small.toLocaleString("en-US")} ${what} took ${a.cpu.toFixed(1)} ms of CPU (${a.wall.toFixed(1)} ms wall), ` +
            `${large.toLocaleString("en-US")} took ${b.cpu.toFixed(1)} ms (${b.wall.toFixed(1)} ms wall): ${ratio.toFixed(1)}x`);
        if (ratio <= maxRatio) {
            return;
        }
    }
    throw new Error(`growth is not linear (at most ${maxRatio}x allowed for ${(large / small).toLocaleString("en-US")}x the ${what}): ${reports.join("; ")}`);
}
