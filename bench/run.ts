// `npm run bench`: this pack (as built to dist/, launched exactly as the Pulumi CLI launches it) against a
// floor pack (bench/floor.ts: the same dependencies, trivial policies, plain JavaScript), side by side in one
// run, interleaved so that load from other processes falls on both. Prints a markdown table: the median and
// range (min-max) of each measure, the ratio of the medians, and whether it meets the target of issue 5.
//
// A benchmark, not a test: it never fails the build. Environment knobs (defaults keep a run to a few minutes
// on 2 cores): BENCH_STARTS (start-ups per pack, 7), BENCH_ROUNDS (workload sessions per pack, 3),
// BENCH_ANALYZE (Analyze calls, 1000), BENCH_BROKERS (brokers in the small stack, 1000; x10 resources),
// BENCH_SCALE (the large stack as a multiple of the small one, 5).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bootPack, PackSession, StackIdentity, startPack } from "../engine/session";
import { createFloorPack, removeFloorPack } from "./floor";
import { encodeAnalyze, encodeAnalyzeStack, RawAnalyzer } from "./rpc";
import { analyzeBrokers, RESOURCES_PER_BROKER, syntheticStack } from "./workload";

const REPO = path.resolve(__dirname, "..");

function envInt(name: string, fallback: number): number {
    const value = Number(process.env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
}

const STARTS = envInt("BENCH_STARTS", 7);
const ROUNDS = envInt("BENCH_ROUNDS", 3);
const ANALYZE_CALLS = envInt("BENCH_ANALYZE", 1000);
const BROKERS = envInt("BENCH_BROKERS", 1000);
const SCALE = envInt("BENCH_SCALE", 5);

const STACK: StackIdentity = {
    name: "prod",
    project: "messaging",
    organization: "acme",
    tags: { environment: "prod", team: "payments" },
    dryRun: false,
};

type PackId = "pack" | "floor";

interface Samples {
    startPort: number[];
    startInfo: number[];
    analyze: number[];
    stackSmall: number[];
    stackLarge: number[];
    hwmSmall: number[];
    hwmPeak: number[];
    diagnostics: Record<string, Set<number>>;
}

function emptySamples(): Samples {
    return { startPort: [], startInfo: [], analyze: [], stackSmall: [], stackLarge: [], hwmSmall: [], hwmPeak: [], diagnostics: {} };
}

function noteDiagnostics(s: Samples, what: string, count: number): void {
    (s.diagnostics[what] ??= new Set()).add(count);
}

/** Peak resident set of a process so far (kB), from /proc/<pid>/status. */
function vmHwmKb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (!match) {
        throw new Error(`no VmHWM in /proc/${pid}/status`);
    }
    return Number(match[1]);
}

function log(message: string): void {
    process.stderr.write(`${message}\n`);
}

async function timeStart(dir: string, into: Samples): Promise<void> {
    const booted = await bootPack(dir, {}, { stack: STACK });
    try {
        into.startPort.push(booted.timings.port);
        into.startInfo.push(booted.timings.info);
    } finally {
        await booted.close();
    }
}

interface Requests {
    analyze: Buffer[];
    stackSmall: Buffer;
    stackLarge: Buffer;
}

async function timeWorkload(dir: string, requests: Requests, into: Samples): Promise<void> {
    let session: PackSession | undefined;
    let client: RawAnalyzer | undefined;
    try {
        session = await startPack({ packDir: dir, stack: STACK });
        client = new RawAnalyzer(session.port);

        let diagnostics = 0;
        let t = performance.now();
        for (const bytes of requests.analyze) {
            diagnostics += await client.analyze(bytes);
        }
        into.analyze.push(performance.now() - t);
        noteDiagnostics(into, "analyze", diagnostics);

        for (let rep = 0; rep < 2; rep++) {
            t = performance.now();
            const n = await client.analyzeStack(requests.stackSmall);
            into.stackSmall.push(performance.now() - t);
            noteDiagnostics(into, "stackSmall", n);
        }
        into.hwmSmall.push(vmHwmKb(session.pid));

        t = performance.now();
        const n = await client.analyzeStack(requests.stackLarge);
        into.stackLarge.push(performance.now() - t);
        noteDiagnostics(into, "stackLarge", n);
        into.hwmPeak.push(vmHwmKb(session.pid));
    } catch (e) {
        const stderr = session?.stderr();
        throw new Error(`${(e as Error).message}${stderr ? `\npack stderr:\n${stderr}` : ""}`);
    } finally {
        client?.close();
        await session?.close();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and the table.

function sorted(values: number[]): number[] {
    return [...values].sort((a, b) => a - b);
}

function median(values: number[]): number {
    const s = sorted(values);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(value: number, unit: "ms" | "MB"): string {
    if (unit === "MB") {
        return `${(value / 1024).toFixed(0)} MB`;
    }
    return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`;
}

function cell(values: number[], unit: "ms" | "MB"): string {
    const s = sorted(values);
    return `${fmt(median(s), unit)} (${fmt(s[0], unit)}-${fmt(s[s.length - 1], unit)}, n=${s.length})`;
}

interface Row {
    measure: string;
    pack: number[];
    floor: number[];
    unit: "ms" | "MB";
    /** The largest ratio pack/floor that meets the target; undefined: informational. */
    target?: number;
}

function table(rows: Row[], linear: { pack: number; floor: number; target: number }): string {
    const lines = [
        "| measure | this pack: median (min-max) | floor pack: median (min-max) | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ];
    for (const row of rows) {
        const ratio = median(row.pack) / median(row.floor);
        const result = row.target === undefined ? "info" : ratio <= row.target ? "PASS" : "FAIL";
        lines.push(`| ${row.measure} | ${cell(row.pack, row.unit)} | ${cell(row.floor, row.unit)} | ` +
            `${ratio.toFixed(2)}x | ${row.target === undefined ? "-" : `<= ${row.target}x floor`} | ${result} |`);
    }
    lines.push(`| growth ${SCALE}x resources (large / small stack, medians) | ${linear.pack.toFixed(2)}x | ` +
        `${linear.floor.toFixed(2)}x | - | <= ${linear.target}x | ${linear.pack <= linear.target ? "PASS" : "FAIL"} |`);
    return lines.join("\n");
}

function machine(): string {
    const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
    const load = os.loadavg().map(l => l.toFixed(2)).join(", ");
    return [
        `date: ${new Date().toISOString()}`,
        `cpus: ${os.availableParallelism?.() ?? os.cpus().length} x ${model}`,
        `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
        `node: ${process.version}`,
        `load average (1, 5, 15 min) at the end: ${load}`,
    ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
    const began = performance.now();
    const loadBefore = os.loadavg().map(l => l.toFixed(2)).join(", ");
    if (!fs.existsSync(path.join(REPO, "dist", "index.js"))) {
        throw new Error("dist/index.js is missing: run `npm run build` first (npm run bench does)");
    }
    const floorDir = createFloorPack(REPO);
    // Also on Ctrl-C (process.exit skips the finally below).
    process.once("exit", () => removeFloorPack(floorDir));
    const dirs: Record<PackId, string> = { pack: REPO, floor: floorDir };
    const samples: Record<PackId, Samples> = { pack: emptySamples(), floor: emptySamples() };
    try {
        log(`encoding requests: ${ANALYZE_CALLS} Analyze, AnalyzeStack of ${BROKERS * RESOURCES_PER_BROKER} and ` +
            `${BROKERS * SCALE * RESOURCES_PER_BROKER} resources`);
        const requests: Requests = {
            analyze: analyzeBrokers(ANALYZE_CALLS).map(encodeAnalyze),
            stackSmall: encodeAnalyzeStack(syntheticStack(BROKERS)),
            stackLarge: encodeAnalyzeStack(syntheticStack(BROKERS * SCALE)),
        };
        log(`request sizes: AnalyzeStack ${(requests.stackSmall.length / 2 ** 20).toFixed(1)} MB and ` +
            `${(requests.stackLarge.length / 2 ** 20).toFixed(1)} MB`);

        // Interleaved, alternating which pack goes first, after one untimed start of each (disk cache).
        const order = (i: number): PackId[] => (i % 2 === 0 ? ["pack", "floor"] : ["floor", "pack"]);
        for (const id of ["pack", "floor"] as PackId[]) {
            await timeStart(dirs[id], emptySamples());
        }
        for (let i = 0; i < STARTS; i++) {
            for (const id of order(i)) {
                await timeStart(dirs[id], samples[id]);
            }
            log(`start-up ${i + 1}/${STARTS}: pack ${samples.pack.startInfo.at(-1)!.toFixed(0)} ms, ` +
                `floor ${samples.floor.startInfo.at(-1)!.toFixed(0)} ms`);
        }
        for (let i = 0; i < ROUNDS; i++) {
            for (const id of order(i)) {
                await timeWorkload(dirs[id], requests, samples[id]);
                const s = samples[id];
                log(`workload ${i + 1}/${ROUNDS} ${id}: analyze ${s.analyze.at(-1)!.toFixed(0)} ms, stack ` +
                    `${s.stackSmall.slice(-2).map(v => v.toFixed(0)).join("/")} ms, large ${s.stackLarge.at(-1)!.toFixed(0)} ms, ` +
                    `peak ${(s.hwmPeak.at(-1)! / 1024).toFixed(0)} MB`);
            }
        }
    } finally {
        removeFloorPack(floorDir);
    }

    const { pack, floor } = samples;
    const small = `${BROKERS * RESOURCES_PER_BROKER}`;
    const large = `${BROKERS * SCALE * RESOURCES_PER_BROKER}`;
    const rows: Row[] = [
        { measure: "start-up: spawn to port line", pack: pack.startPort, floor: floor.startPort, unit: "ms" },
        { measure: "start-up: spawn to GetAnalyzerInfo answer", pack: pack.startInfo, floor: floor.startInfo, unit: "ms", target: 1.3 },
        { measure: `${ANALYZE_CALLS} Analyze calls on brokers`, pack: pack.analyze, floor: floor.analyze, unit: "ms", target: 2 },
        { measure: `AnalyzeStack, ${small} resources`, pack: pack.stackSmall, floor: floor.stackSmall, unit: "ms", target: 2 },
        { measure: `AnalyzeStack, ${large} resources`, pack: pack.stackLarge, floor: floor.stackLarge, unit: "ms" },
        { measure: `peak memory (VmHWM) after the ${small}-resource stack`, pack: pack.hwmSmall, floor: floor.hwmSmall, unit: "MB" },
        { measure: `peak memory (VmHWM) after the ${large}-resource stack`, pack: pack.hwmPeak, floor: floor.hwmPeak, unit: "MB", target: 1.5 },
    ];
    const linear = {
        pack: median(pack.stackLarge) / median(pack.stackSmall),
        floor: median(floor.stackLarge) / median(floor.stackSmall),
        target: 6,
    };
    const diag = (s: Samples) => Object.entries(s.diagnostics).map(([k, v]) => `${k} ${[...v].join("/")}`).join(", ");
    console.log(table(rows, linear));
    console.log();
    console.log(`diagnostics returned (the same every round): this pack: ${diag(pack)}; floor: ${diag(floor)}`);
    console.log(machine());
    console.log(`load average (1, 5, 15 min) at the start: ${loadBefore}`);
    console.log(`bench wall time: ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

// Ctrl-C: exit through process.exit so engine/session.ts's exit hook kills any pack still running.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

main().catch(e => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
