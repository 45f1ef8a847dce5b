// The checkout's pack entry (package.json `main`): what `pulumi preview --policy-pack <this folder>` loads.
// It never lets a stale dist/ run in silence: when a pack source (index.ts, policies/**/*.ts) is newer than its
// compiled file, it rebuilds dist/ with the local TypeScript, saying so in one line on stderr, or, with no compiler
// or a failed build, stops the pack with a one-line error (a build with type errors writes nothing, so dist/ stays
// stale and the next start fails the same way). Then it loads the compiled pack, dist/index.js.
// Standard output is left alone: the policy server announces its port there.
// The published pack (build/policy-pack, `npm run pack:policy`) ships no sources and loads dist/index.js directly.
"use strict";
const path = require("path");
const { staleSource } = require("./dist-freshness");

const root = path.resolve(__dirname, "..");
/** One line on stderr and a failed start: a thrown error would print a stack trace instead. */
function fail(message) {
    process.stderr.write(`aws-mq-guardrails: ${message}\n`);
    process.exit(1);
}
const stale = staleSource(root);
if (stale) {
    const { spawnSync } = require("child_process");
    let tsc;
    try {
        tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    } catch {
        fail(`dist/ is stale (${stale.reason}) and TypeScript is not installed to rebuild it: run \`npm ci\` then \`npm run build\` in ${root}`);
    }
    process.stderr.write(`aws-mq-guardrails: dist/ is stale (${stale.reason}); rebuilding it with TypeScript (npm run build)\n`);
    const build = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json"), "--noEmitOnError"],
        { cwd: root, encoding: "utf8" });
    if (build.status !== 0) {
        const first = `${build.stdout ?? ""}${build.stderr ?? ""}`.split("\n").find(line => line.trim()) ?? build.error?.message ?? `exit ${build.status}`;
        fail(`dist/ is stale (${stale.reason}) and rebuilding it failed: ${first.trim().slice(0, 300)} (run \`npm run build\` in ${root})`);
    }
}
module.exports = require("../dist/index.js");
