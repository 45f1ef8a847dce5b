// `npm run bench:install`: what installing a published pack costs, measured as Pulumi Cloud installs one: `npm pack`
// of the folder `pulumi policy publish` runs in, the tarball's package/ extracted into a fresh folder, a plain
// `npm install` there (devDependencies included, install scripts run). Three packages, same machine, same run,
// same npm cache (`--prefer-offline`: what the cache holds is not fetched again, so the figures compare what each
// package installs rather than the network):
//   floor      @pulumi/policy + @pulumi/pulumi (the root's pinned versions) and a one-policy index.js;
//   published  build/policy-pack (`npm run pack:policy`), what is published now;
//   root       the repository root packed as it is: what `pulumi policy publish` in the root uploaded before the
//              split (@pulumi/aws, TypeScript, mocha... installed with it).
// Each is installed once to warm the cache, then ROUNDS times (default 2), keeping the fastest round (load from
// other processes only slows a round). Size: bytes of the installed folder (package files and node_modules, as
// stored: `du --apparent-size`), and the number of packages npm added.
//
//   node scripts/bench-install.js [--check]     (--check: exit 1 when published/floor exceeds TARGET for time or size)
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const STAGED = path.join(ROOT, "build", "policy-pack");
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const TARGET = 1.5;

/** The environment of a plain install: none of the variables `npm run` sets for this package's own scripts. */
function plainEnv() {
    const env = { ...process.env, npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" };
    for (const name of Object.keys(env)) {
        if (/^npm_(package|lifecycle)_|^npm_config_(prefix|local_prefix|global)$/.test(name)) {
            delete env[name];
        }
    }
    return env;
}

function run(command, args, cwd) {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: plainEnv(), maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} in ${cwd} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    return result;
}

/** Bytes of every file under `dir` (symbolic links counted as links), and the file count. */
function sizeOf(dir) {
    let bytes = 0;
    let files = 0;
    const walk = current => {
        for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) {
                walk(full);
            } else {
                bytes += fs.lstatSync(full).size;
                files += 1;
            }
        }
    };
    walk(dir);
    return { bytes, files };
}

/** The floor pack's sources: the SDK, its runtime, and one resource policy. */
function writeFloor(dir, rootManifest) {
    fs.mkdirSync(dir, { recursive: true });
    const pin = name => rootManifest.dependencies[name];
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({
        name: "floor-pack",
        version: "0.0.0",
        main: "index.js",
        dependencies: { "@pulumi/policy": pin("@pulumi/policy"), "@pulumi/pulumi": pin("@pulumi/pulumi") },
    }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: floor pack\n");
    fs.writeFileSync(path.join(dir, "index.js"), [
        '"use strict";',
        'const { PolicyPack } = require("@pulumi/policy");',
        'new PolicyPack("floor-pack", {',
        "    policies: [{",
        '        name: "floor-broker-multi-az",',
        '        description: "A broker is not single-instance.",',
        '        enforcementLevel: "mandatory",',
        "        validateResource: (args, reportViolation) => {",
        '            if (args.type === "aws:mq/broker:Broker" && args.props.deploymentMode === "SINGLE_INSTANCE") {',
        '                reportViolation("deploymentMode is SINGLE_INSTANCE");',
        "            }",
        "        },",
        "    }],",
        "});",
        "",
    ].join("\n"));
}

/** `npm pack` of `dir` into a folder of its own under `out` (the staged and the root package have one file name). */
function pack(dir, out, label) {
    out = path.join(out, `${label}-tarball`);
    fs.mkdirSync(out);
    const result = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], dir);
    const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf("[")));
    return path.join(out, info.filename);
}

/** One install as Pulumi Cloud does it: extract into a fresh folder, plain npm install; seconds, size, packages. */
function install(tarball, work, label) {
    const dir = fs.mkdtempSync(path.join(work, `${label}-`));
    run("tar", ["-xzf", tarball, "-C", dir], work);
    const folder = path.join(dir, "package");
    const started = process.hrtime.bigint();
    const result = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], folder);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const added = /added (\d+) packages?/.exec(result.stdout);
    const size = sizeOf(folder);
    fs.rmSync(dir, { recursive: true, force: true });
    return { seconds, bytes: size.bytes, files: size.files, packages: added ? Number(added[1]) : 0 };
}

function main() {
    if (!fs.existsSync(path.join(STAGED, "package.json"))) {
        throw new Error("build/policy-pack is missing: run `npm run pack:policy` first");
    }
    const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "mq-bench-install-"));
    try {
        const floorDir = path.join(work, "floor-src");
        writeFloor(floorDir, rootManifest);
        const tarballs = {
            floor: pack(floorDir, work, "floor"),
            published: pack(STAGED, work, "published"),
            root: pack(ROOT, work, "root"),
        };
        const results = {};
        for (const [label, tarball] of Object.entries(tarballs)) {
            install(tarball, work, label);   // warm-up: fills the npm cache for this package's tree
            results[label] = { tarball: fs.statSync(tarball).size, rounds: [] };
        }
        for (let round = 0; round < ROUNDS; round++) {
            for (const [label, tarball] of Object.entries(tarballs)) {
                results[label].rounds.push(install(tarball, work, label));
            }
        }
        const best = label => results[label].rounds.reduce((a, b) => (b.seconds < a.seconds ? b : a));
        const floor = best("floor");
        const mb = bytes => (bytes / 1e6).toFixed(1);
        const lines = [
            `Install as Pulumi Cloud installs a published pack (npm pack, extract, npm install --prefer-offline), best of ${ROUNDS} after a warm-up; Node ${process.version}, npm ${run("npm", ["--version"], work).stdout.trim()}, ${os.cpus().length} cores`,
            "",
            "| package | tarball | install time | installed size | packages | files | time / floor | size / floor |",
            "|---|---|---|---|---|---|---|---|",
        ];
        for (const label of Object.keys(tarballs)) {
            const r = best(label);
            lines.push(`| ${label} | ${(results[label].tarball / 1e3).toFixed(0)} kB | ${r.seconds.toFixed(1)} s | ${mb(r.bytes)} MB | ` +
                `${r.packages} | ${r.files} | ${(r.seconds / floor.seconds).toFixed(2)}x | ${(r.bytes / floor.bytes).toFixed(2)}x |`);
        }
        const published = best("published");
        const timeRatio = published.seconds / floor.seconds;
        const sizeRatio = published.bytes / floor.bytes;
        const within = timeRatio <= TARGET && sizeRatio <= TARGET;
        lines.push("", `published/floor: time ${timeRatio.toFixed(2)}x, size ${sizeRatio.toFixed(2)}x (target ${TARGET}x): ${within ? "within" : "OVER"}`);
        lines.push(`rounds (s): ${Object.keys(tarballs).map(label => `${label} ${results[label].rounds.map(r => r.seconds.toFixed(1)).join("/")}`).join(", ")}`);
        console.log(lines.join("\n"));
        if (process.argv.includes("--check") && !within) {
            process.exitCode = 1;
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main();
