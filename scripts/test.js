// `npm test`: build dist/ (the command-line and integration specs run it), then type-check, lint and run every
// spec at once. The three are independent and each uses one core (tsc and eslint are single-threaded, mocha runs
// the specs one after another), so on a 2-core machine they take about the time of the longest, not the sum
// (docs/testing.md has the numbers). Mocha's output streams as it comes; the type-checker's and the linter's
// are printed whole when each ends, so nothing interleaves. Exit code: the first failing phase's, else 0.
//
//   node scripts/test.js [mocha arguments...]     (default: every spec, "tests/**/*.spec.ts")
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

const mochaArgs = process.argv.slice(2);
Promise.all([
    phase("typecheck (tsc -p tests/tsconfig.json)", bin("typescript/bin/tsc"), ["-p", path.join("tests", "tsconfig.json")], false),
    phase("lint (eslint . --max-warnings 0)", bin("eslint/bin/eslint.js"), [".", "--max-warnings", "0"], false),
    phase("specs (mocha)", bin("mocha/bin/mocha.js"), mochaArgs.length > 0 ? mochaArgs : ["tests/**/*.spec.ts"], true),
]).then(codes => {
    console.log(`npm test: build, typecheck, lint and specs took ${seconds(started)} s`);
    process.exit(codes.find(c => c !== 0) ?? 0);
});
