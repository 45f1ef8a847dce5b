// `npm test`: build dist/ (the command-line and integration specs run it), then type-check, lint and run every
// spec at once. tsc and eslint are single-threaded; mocha runs the specs on two worker processes (`--parallel
// --jobs 2`, one spec file at a time each), so on a 2-core machine the phases share both cores and take about their
// total CPU time divided by two (docs/testing.md has the numbers). Checks that must cover the whole run (no test
// password in any message, no pack process left) are root hooks (tests/support/root-hooks.ts), which each worker
// runs after each of its files. In parallel mode mocha prints each spec file's results whole, as that file ends;
// the type-checker's and the linter's output is printed whole when each ends, so nothing interleaves. Exit code:
// the first failing phase's, else 0.
//
//   node scripts/test.js                          every spec, "tests/**/*.spec.ts", on two workers
//   node scripts/test.js [mocha arguments...]     those instead: one spec file (no wildcard) runs in one process,
//                                                 its results streamed; several, or a wildcard, on two workers,
//                                                 unless the arguments choose (--parallel, --no-parallel, --jobs)
"use strict";
const { spawn, spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = file => path.join(root, "node_modules", file);
const started = Date.now();
const seconds = since => ((Date.now() - since) / 1000).toFixed(1);

const build = spawnSync(process.execPath, [path.join(root, "scripts", "prepare.js")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) {
    process.exit(build.status ?? 1);
}

/** Runs one phase; resolves to its exit code once it ends (its buffered output printed then, unless streamed). */
function phase(label, command, args, stream) {
    const start = Date.now();
    return new Promise(resolve => {
        const child = spawn(process.execPath, [command, ...args], { cwd: root, stdio: stream ? "inherit" : ["ignore", "pipe", "pipe"] });
        const output = [];
        if (!stream) {
            child.stdout.on("data", d => output.push(d));
            child.stderr.on("data", d => output.push(d));
        }
        child.on("error", e => {
            output.push(Buffer.from(`${e.message}\n`));
        });
        child.on("close", (code, signal) => {
            const status = code ?? (signal ? 1 : 0);
            if (output.length > 0) {
                process.stdout.write(Buffer.concat(output));
            }
            console.log(`npm test: ${label} ${status === 0 ? "passed" : `failed (exit ${code ?? signal})`} in ${seconds(start)} s`);
            resolve(status);
        });
    });
}

/** The mocha arguments: the given ones (or every spec), on two workers unless they name one file or choose. */
function mochaArguments(given) {
    const specs = given.length > 0 ? given : ["tests/**/*.spec.ts"];
    const chosen = given.some(a => /^--(no-)?parallel$|^--jobs(=|$)|^-j$/.test(a));
    const wildcard = a => /[*?{}[\]]/.test(a);
    const named = given.filter(a => !a.startsWith("-") && (a.endsWith(".ts") || wildcard(a)));
    const oneFile = named.length === 1 && !wildcard(named[0]);
    return chosen || oneFile ? specs : ["--parallel", "--jobs", "2", ...specs];
}

Promise.all([
    phase("typecheck (tsc -p tests/tsconfig.json)", bin("typescript/bin/tsc"), ["-p", path.join("tests", "tsconfig.json")], false),
    phase("lint (eslint . --max-warnings 0)", bin("eslint/bin/eslint.js"), [".", "--max-warnings", "0"], false),
    phase("specs (mocha)", bin("mocha/bin/mocha.js"), mochaArguments(process.argv.slice(2)), true),
]).then(codes => {
    console.log(`npm test: build, typecheck, lint and specs took ${seconds(started)} s`);
    process.exit(codes.find(c => c !== 0) ?? 0);
});
