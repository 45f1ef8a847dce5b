// `npm run bench`: this pack (as built to dist/, launched exactly as the Pulumi CLI launches it) against a
// typed floor pack (bench/floor.ts: the same dependencies, two trivial policies carrying the broker type, plain
// JavaScript), side by side in one run, interleaved so that load from other processes falls on all packs.
// Also in the same run: the same pack judging only @pulumi/aws's types (bench/floor.ts createAwsOnlyPack: one
// type per policy, so the SDK's one-type marker applies; what judging aws-native too costs), and, when BENCH_BASELINE names the directory of another build of this
// pack (an earlier commit, built), that build: "no slower than today" is measured in one run, not across runs.
// Prints a markdown table: the median and range (min-max) of each measure, ratios of the medians to the floor
// (and of this pack to the baseline), and whether this pack meets the target of issues 5 and 10.
//
// A benchmark, not a test: it never fails the build. Environment knobs (defaults keep a run to a few minutes
// on 2 cores): BENCH_STARTS (start-ups per pack, 7), BENCH_ROUNDS (workload sessions per pack, 3),
// BENCH_ANALYZE (Analyze calls, 1000), BENCH_BROKERS (brokers in the small stack, 1000; x10 resources),
// BENCH_SCALE (the large stack as a multiple of the small one, 5), BENCH_NO_BROKER (resource groups in the
// stack without a broker, 1000; x9 resources), BENCH_AWS_ONLY (0 leaves the aws-only variant out),
// BENCH_NO_CACHE (1 adds this pack without policies/lib/sdk-decode-cache.ts, when it has one),
// BENCH_NO_FAMILIES (0 leaves out this pack without policies/lib/sdk-type-families.ts, its policies unmarked),
// BENCH_FLOOR_N (0 leaves out "floor-N": the floor with as many typed resource policies as this pack has, N),
// BENCH_IN_FLIGHT (Analyze calls in flight for the no-broker stack, 16),
// BENCH_BASELINE (directory of a built baseline pack; none by default; with it, "same-policies" is this pack
// serving only the baseline's policies, BENCH_SAME_POLICIES=0 leaves that out).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bootPack, PackSession, StackIdentity, startPack } from "../engine/session";
import { createFloorPack, createPackWithout, createSamePoliciesPack, createAwsOnlyPack, removeFloorPack } from "./floor";
import { encodeAnalyze, encodeAnalyzeStack, RawAnalyzer } from "./rpc";
import { analyzeBrokers, noBrokerStack, RESOURCES_PER_BROKER, syntheticStack } from "./workload";

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
const NO_BROKER_GROUPS = envInt("BENCH_NO_BROKER", 1000);
const AWS_ONLY = process.env.BENCH_AWS_ONLY !== "0";
const NO_CACHE = process.env.BENCH_NO_CACHE === "1";
const NO_FAMILIES = process.env.BENCH_NO_FAMILIES !== "0";
const FLOOR_N = process.env.BENCH_FLOOR_N !== "0";
/** 0 leaves out the large stack (the longest part of a run). */
const LARGE = process.env.BENCH_LARGE !== "0";
/** Analyze calls in flight at once, as the engine sends them while it steps through resources in parallel. */
const IN_FLIGHT = envInt("BENCH_IN_FLIGHT", 16);
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : undefined;

const STACK: StackIdentity = {
    name: "prod",
    project: "messaging",
    organization: "acme",
    tags: { environment: "prod", team: "payments" },
    dryRun: false,
};

type PackId = "pack" | "floor" | "floor-N" | "aws-only" | "no-families" | "no-cache" | "same-policies" | "baseline";

interface Samples {
    startPort: number[];
    startInfo: number[];
    analyze: number[];
    /** Analyze of every resource of the no-broker stack, one call each, in sequence. */
    analyzeNoBroker: number[];
    stackNoBroker: number[];
    /** CPU time of the pack process (user + system, /proc/<pid>/stat) for the same work: steadier under load. */
    cpuAnalyze: number[];
    cpuAnalyzeNoBroker: number[];
    cpuStackNoBroker: number[];
    cpuStackSmall: number[];
    stackSmall: number[];
    stackLarge: number[];
    hwmSmall: number[];
    hwmPeak: number[];
    diagnostics: Record<string, Set<number>>;
}

function emptySamples(): Samples {
    return {
        startPort: [], startInfo: [], analyze: [], analyzeNoBroker: [], stackNoBroker: [], stackSmall: [], stackLarge: [],
        cpuAnalyze: [], cpuAnalyzeNoBroker: [], cpuStackNoBroker: [], cpuStackSmall: [],
        hwmSmall: [], hwmPeak: [], diagnostics: {},
    };
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

/** CPU time a process has used so far (user + system, ms), from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
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
    analyzeNoBroker: Buffer[];
    stackNoBroker: Buffer;
    stackSmall: Buffer;
    stackLarge?: Buffer;
}

/** Sends every request with at most `limit` in flight; returns the total of the answers. */
async function inFlight(requests: Buffer[], limit: number, send: (bytes: Buffer) => Promise<number>): Promise<number> {
    let next = 0;
    let total = 0;
    const worker = async () => {
        while (next < requests.length) {
            total += await send(requests[next++]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, requests.length) }, worker));
    return total;
}

async function timeWorkload(dir: string, requests: Requests, into: Samples): Promise<void> {
    let session: PackSession | undefined;
    let client: RawAnalyzer | undefined;
    try {
        session = await startPack({ packDir: dir, stack: STACK });
        client = new RawAnalyzer(session.port);

        const pid = session.pid;
        let diagnostics = 0;
        let cpu = cpuMs(pid);
        let t = performance.now();
        for (const bytes of requests.analyze) {
            diagnostics += await client.analyze(bytes);
        }
        into.analyze.push(performance.now() - t);
        into.cpuAnalyze.push(cpuMs(pid) - cpu);
        noteDiagnostics(into, "analyze", diagnostics);

        cpu = cpuMs(pid);
        t = performance.now();
        diagnostics = await inFlight(requests.analyzeNoBroker, IN_FLIGHT, bytes => client!.analyze(bytes));
        into.analyzeNoBroker.push(performance.now() - t);
        into.cpuAnalyzeNoBroker.push(cpuMs(pid) - cpu);
        noteDiagnostics(into, "analyzeNoBroker", diagnostics);

        for (let rep = 0; rep < 2; rep++) {
            cpu = cpuMs(pid);
            t = performance.now();
            const n = await client.analyzeStack(requests.stackNoBroker);
            into.stackNoBroker.push(performance.now() - t);
            into.cpuStackNoBroker.push(cpuMs(pid) - cpu);
            noteDiagnostics(into, "stackNoBroker", n);
        }

        for (let rep = 0; rep < 2; rep++) {
            cpu = cpuMs(pid);
            t = performance.now();
            const n = await client.analyzeStack(requests.stackSmall);
            into.stackSmall.push(performance.now() - t);
            into.cpuStackSmall.push(cpuMs(pid) - cpu);
            noteDiagnostics(into, "stackSmall", n);
        }
        into.hwmSmall.push(vmHwmKb(session.pid));

        if (requests.stackLarge) {
            t = performance.now();
            const n = await client.analyzeStack(requests.stackLarge);
            into.stackLarge.push(performance.now() - t);
            noteDiagnostics(into, "stackLarge", n);
            into.hwmPeak.push(vmHwmKb(session.pid));
        }
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
    if (values.length === 0) {
        return "-";
    }
    const s = sorted(values);
    return `${fmt(median(s), unit)} (${fmt(s[0], unit)}-${fmt(s[s.length - 1], unit)}, n=${s.length})`;
}

interface Row {
    measure: string;
    samples: (id: PackId) => number[];
    unit: "ms" | "MB";
    /** The largest ratio pack/floor that meets the target; undefined: informational. */
    target?: number;
}

function ratio(a: number[], b: number[]): string {
    return a.length > 0 && b.length > 0 ? `${(median(a) / median(b)).toFixed(2)}x` : "-";
}

/** One table: every pack's median (range) per measure, each pack's ratio to the floor, this pack's to the baseline. */
function table(ids: PackId[], rows: Row[], growth: Record<string, number>, growthTarget: number): string {
    const others = ids.filter(id => id !== "floor");
    const head = ["measure", "floor (typed)", ...others.map(id => `${id}`), ...others.map(id => `${id} / floor`)];
    if (ids.includes("baseline")) {
        head.push("pack / baseline");
    }
    head.push("target (pack / floor)", "result");
    const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
    for (const row of rows.filter(r => r.samples("pack").length > 0)) {
        const floor = row.samples("floor");
        const pack = row.samples("pack");
        const r = median(pack) / median(floor);
        const result = row.target === undefined ? "info" : r <= row.target ? "PASS" : "FAIL";
        const cells = [row.measure, cell(floor, row.unit), ...others.map(id => cell(row.samples(id), row.unit)),
            ...others.map(id => ratio(row.samples(id), floor))];
        if (ids.includes("baseline")) {
            cells.push(ratio(pack, row.samples("baseline")));
        }
        cells.push(row.target === undefined ? "-" : `<= ${row.target}x`, result);
        lines.push(`| ${cells.join(" | ")} |`);
    }
    if (!ids.every(id => Number.isFinite(growth[id]))) {
        return lines.join("\n");
    }
    const g = (id: PackId) => growth[id].toFixed(2) + "x";
    const cells = [`growth ${SCALE}x resources (large / small stack, medians)`, g("floor"), ...others.map(g), ...others.map(() => "-")];
    if (ids.includes("baseline")) {
        cells.push("-");
    }
    cells.push(`pack <= ${growthTarget}x`, growth.pack <= growthTarget ? "PASS" : "FAIL");
    lines.push(`| ${cells.join(" | ")} |`);
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
    // The SDK answers not-applicable per resource policy (@pulumi/policy server.js, makeAnalyzeRpcFun): a floor with
    // as many typed resource policies as this pack pays that per-policy cost too, and nothing of this pack's own.
    const resourcePolicies = FLOOR_N
        ? (require(path.join(REPO, "dist", "policies", "index.js")).policies as Array<Record<string, unknown>>)
            .filter(p => p.validateResource !== undefined || p.remediateResource !== undefined).length
        : 0;
    const floorNDir = FLOOR_N ? createFloorPack(REPO, resourcePolicies) : undefined;
    const awsOnlyDir = AWS_ONLY ? createAwsOnlyPack(REPO) : undefined;
    const noCacheDir = NO_CACHE ? createPackWithout(REPO, "installDecodeCache") : undefined;
    const noFamiliesDir = NO_FAMILIES ? createPackWithout(REPO, "installTypeFamilies") : undefined;
    // With a baseline: this pack restricted to the baseline's policies, so policies added since do not count.
    const baselineNames = BASELINE && process.env.BENCH_SAME_POLICIES !== "0"
        ? (require(path.join(BASELINE, "dist", "policies", "index.js")).policies as Array<{ name: string }>).map(p => p.name)
        : undefined;
    const samePoliciesDir = baselineNames ? createSamePoliciesPack(REPO, baselineNames) : undefined;
    const cleanUp = () => [floorDir, floorNDir, awsOnlyDir, noFamiliesDir, noCacheDir, samePoliciesDir].forEach(d => d && removeFloorPack(d));
    // Also on Ctrl-C (process.exit skips the finally below).
    process.once("exit", cleanUp);
    const dirs: Partial<Record<PackId, string>> = { pack: REPO, floor: floorDir };
    if (floorNDir) {
        dirs["floor-N"] = floorNDir;
        log(`floor-N: the floor with ${resourcePolicies} typed resource policies, as many as this pack has`);
    }
    if (awsOnlyDir) {
        dirs["aws-only"] = awsOnlyDir;
    }
    if (noFamiliesDir) {
        dirs["no-families"] = noFamiliesDir;
    }
    if (noCacheDir) {
        dirs["no-cache"] = noCacheDir;
    }
    if (samePoliciesDir) {
        dirs["same-policies"] = samePoliciesDir;
    }
    if (BASELINE) {
        if (!fs.existsSync(path.join(BASELINE, "dist", "index.js"))) {
            throw new Error(`BENCH_BASELINE ${BASELINE} has no dist/index.js: build it first`);
        }
        dirs.baseline = BASELINE;
    }
    const ids = Object.keys(dirs) as PackId[];
    const samples = Object.fromEntries(ids.map(id => [id, emptySamples()])) as Record<PackId, Samples>;
    try {
        log(`encoding requests: ${ANALYZE_CALLS} Analyze, AnalyzeStack of ${BROKERS * RESOURCES_PER_BROKER} and ` +
            `${BROKERS * SCALE * RESOURCES_PER_BROKER} resources`);
        const noBroker = noBrokerStack(NO_BROKER_GROUPS);
        const requests: Requests = {
            analyze: analyzeBrokers(ANALYZE_CALLS).map(encodeAnalyze),
            analyzeNoBroker: noBroker.map(encodeAnalyze),
            stackNoBroker: encodeAnalyzeStack(noBroker),
            stackSmall: encodeAnalyzeStack(syntheticStack(BROKERS)),
            stackLarge: LARGE ? encodeAnalyzeStack(syntheticStack(BROKERS * SCALE)) : undefined,
        };
        log(`request sizes: AnalyzeStack ${(requests.stackSmall.length / 2 ** 20).toFixed(1)} MB and ` +
            `${((requests.stackLarge?.length ?? 0) / 2 ** 20).toFixed(1)} MB`);

        // Interleaved, rotating which pack goes first, after one untimed start of each (disk cache).
        const order = (i: number): PackId[] => ids.map((_, k) => ids[(k + i) % ids.length]);
        for (const id of ids) {
            await timeStart(dirs[id]!, emptySamples());
        }
        for (let i = 0; i < STARTS; i++) {
            for (const id of order(i)) {
                await timeStart(dirs[id]!, samples[id]);
            }
            log(`start-up ${i + 1}/${STARTS}: ${ids.map(id => `${id} ${samples[id].startInfo.at(-1)!.toFixed(0)} ms`).join(", ")}`);
        }
        for (let i = 0; i < ROUNDS; i++) {
            for (const id of order(i)) {
                await timeWorkload(dirs[id]!, requests, samples[id]);
                const s = samples[id];
                log(`workload ${i + 1}/${ROUNDS} ${id}: analyze ${s.analyze.at(-1)!.toFixed(0)} ms, ` +
                    `no broker: analyze ${s.analyzeNoBroker.at(-1)!.toFixed(0)} ms, stack ${s.stackNoBroker.slice(-2).map(v => v.toFixed(0)).join("/")} ms; stack ` +
                    `${s.stackSmall.slice(-2).map(v => v.toFixed(0)).join("/")} ms, large ${s.stackLarge.at(-1)?.toFixed(0) ?? "-"} ms; CPU: ` +
                    `no broker ${s.cpuAnalyzeNoBroker.at(-1)}/${s.cpuStackNoBroker.slice(-2).join("/")} ms, brokers ${s.cpuAnalyze.at(-1)}/${s.cpuStackSmall.slice(-2).join("/")} ms`);
            }
        }
    } finally {
        cleanUp();
    }

    const small = `${BROKERS * RESOURCES_PER_BROKER}`;
    const large = `${BROKERS * SCALE * RESOURCES_PER_BROKER}`;
    const noBrokerCount = NO_BROKER_GROUPS * (RESOURCES_PER_BROKER - 1);
    const of = (key: keyof Omit<Samples, "diagnostics">) => (id: PackId) => samples[id][key];
    const rows: Row[] = [
        { measure: `CPU, no broker: ${noBrokerCount} Analyze calls`, samples: of("cpuAnalyzeNoBroker"), unit: "ms", target: 1.2 },
        { measure: `CPU, no broker: AnalyzeStack, ${noBrokerCount} resources`, samples: of("cpuStackNoBroker"), unit: "ms", target: 1.2 },
        { measure: `CPU, ${ANALYZE_CALLS} Analyze calls on brokers`, samples: of("cpuAnalyze"), unit: "ms" },
        { measure: `CPU, AnalyzeStack, ${small} resources (${BROKERS} brokers)`, samples: of("cpuStackSmall"), unit: "ms" },
        { measure: "start-up: spawn to port line", samples: of("startPort"), unit: "ms" },
        { measure: "start-up: spawn to GetAnalyzerInfo answer", samples: of("startInfo"), unit: "ms", target: 1.3 },
        { measure: `no broker: ${noBrokerCount} Analyze calls, one per resource, ${IN_FLIGHT} in flight`, samples: of("analyzeNoBroker"), unit: "ms", target: 1.2 },
        { measure: `no broker: AnalyzeStack, ${noBrokerCount} resources`, samples: of("stackNoBroker"), unit: "ms", target: 1.2 },
        { measure: `${ANALYZE_CALLS} Analyze calls on brokers`, samples: of("analyze"), unit: "ms", target: 2 },
        { measure: `AnalyzeStack, ${small} resources (${BROKERS} brokers)`, samples: of("stackSmall"), unit: "ms", target: 2 },
        { measure: `AnalyzeStack, ${large} resources`, samples: of("stackLarge"), unit: "ms" },
        { measure: `peak memory (VmHWM) after the ${small}-resource stack`, samples: of("hwmSmall"), unit: "MB" },
        { measure: `peak memory (VmHWM) after the ${large}-resource stack`, samples: of("hwmPeak"), unit: "MB", target: 1.5 },
    ];
    const growth = Object.fromEntries(ids.map(id => [id, LARGE ? median(samples[id].stackLarge) / median(samples[id].stackSmall) : NaN]));
    const diag = (s: Samples) => Object.entries(s.diagnostics).map(([k, v]) => `${k} ${[...v].join("/")}`).join(", ");
    console.log(table(ids, rows, growth, 6));
    console.log();
    console.log(`diagnostics returned (the same every round): ${ids.map(id => `${id}: ${diag(samples[id])}`).join("; ")}`);
    if (BASELINE) {
        console.log(`baseline: ${BASELINE}`);
    }
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
