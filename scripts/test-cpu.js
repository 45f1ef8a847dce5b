// Where `npm test`'s CPU goes, by kind of process: runs scripts/test.js (every phase, as `npm test` does) with
// this file preloaded into every Node.js process it starts (NODE_OPTIONS=--require: tsc, eslint, the mocha
// workers, each pack process and each run of the built command), each process appending its own CPU time (user +
// system) when it exits, then prints the totals. A measurement, not a test: `node scripts/test-cpu.js [mocha
// arguments]`; exit code is the test run's. docs/testing.md has a run's numbers.
//
// Preloaded, the file only records: it adds an exit hook, and a SIGTERM/SIGINT handler that exits (so a pack
// stopped by its session still records); nothing else of the process changes.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const RECORD = process.env.AWS_MQ_TEST_CPU_FILE;
if (RECORD && require.main !== module) {
    const started = Date.now();
    const record = () => {
        try {
            const cpu = process.cpuUsage();
            const argv = process.argv.slice(1).join(" ").replace(/\s+/g, " ").slice(0, 300);
            fs.appendFileSync(RECORD, `${JSON.stringify({ cpu: (cpu.user + cpu.system) / 1e6, wall: (Date.now() - started) / 1000, argv })}\n`);
        } catch {
            // Measuring must never fail the process measured.
        }
    };
    process.once("exit", record);
    for (const signal of ["SIGTERM", "SIGINT"]) {
        process.once(signal, () => process.exit(signal === "SIGTERM" ? 143 : 130));
    }
    return;
}

/** The kind of a recorded process, from its command line. */
function kind(argv) {
    if (argv.includes("run-policy-pack")) return "pack process (run-policy-pack)";
    if (/dist[\\/]cli[\\/]main\.js/.test(argv)) return "built command (dist/cli/main.js)";
    if (/mocha[\\/]lib[\\/]nodejs[\\/]worker\.js/.test(argv)) return "mocha worker";
    if (/mocha[\\/]bin/.test(argv)) return "mocha main process";
    if (/typescript[\\/]bin[\\/]tsc/.test(argv) && argv.includes(path.join("tests", "tsconfig.json"))) return "type-check (tsc -p tests/tsconfig.json)";
    if (/eslint[\\/]bin/.test(argv)) return "lint (eslint)";
    return "other (npm, scripts, child processes of specs)";
}

if (require.main === module) {
    const { spawnSync } = require("child_process");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-test-cpu-")), "processes.jsonl");
    const preload = `--require ${JSON.stringify(__filename)}`;
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(__dirname, "test.js"), ...process.argv.slice(2)], {
        stdio: "inherit",
        env: { ...process.env, AWS_MQ_TEST_CPU_FILE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${preload}`.trim() },
    });
    const wall = (Date.now() - started) / 1000;
    const rows = new Map();
    for (const line of fs.readFileSync(file, "utf8").split("\n").filter(Boolean)) {
        const { cpu, argv } = JSON.parse(line);
        const name = kind(argv);
        const row = rows.get(name) ?? { cpu: 0, count: 0 };
        row.cpu += cpu;
        row.count += 1;
        rows.set(name, row);
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    const total = [...rows.values()].reduce((sum, r) => sum + r.cpu, 0);
    console.log(`\nCPU by kind of process (seconds, user + system), node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} CPUs:`);
    for (const [name, r] of [...rows].sort((a, b) => b[1].cpu - a[1].cpu)) {
        console.log(`${r.cpu.toFixed(1).padStart(8)}  ${String(r.count).padStart(4)} x  ${name}`);
    }
    console.log(`${total.toFixed(1).padStart(8)}  total; wall ${wall.toFixed(1)} s; load average at the end ${os.loadavg().map(l => l.toFixed(1)).join(", ")}`);
    process.exit(run.status ?? 1);
}
