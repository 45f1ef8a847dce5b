// `prepare` and `build` (npm ci, npm install, npm pack, npm test): compile the pack to dist/, unless dist/ is
// current (every compiled file newer than its TypeScript source and than tsconfig.json: scripts/dist-freshness.js).
// An installed copy of a package that ships dist/ may have no compiler (installed without devDependencies); then
// the shipped dist/ is used as it is, instead of failing the install. The published policy pack (build/policy-pack,
// `npm run pack:policy`) has no scripts at all.
//
//   node scripts/prepare.js [--force]     (--force: compile even when dist/ is current)
"use strict";
const { chmodSync, existsSync, statSync } = require("fs");
const { spawnSync } = require("child_process");
const path = require("path");
const { ALL_SOURCES, staleSource } = require("./dist-freshness");

const root = path.resolve(__dirname, "..");
const cliMain = path.join(root, "dist", "cli", "main.js");
// npm links a package's own bin before prepare builds it, so `npx aws-mq-guardrails` in this directory runs
// the file directly: it must be executable.
const markExecutable = () => existsSync(cliMain) && chmodSync(cliMain, 0o755);

const mtime = file => existsSync(file) ? statSync(file).mtimeMs : undefined;
const configChanged = () => {
    const built = mtime(path.join(root, "dist", "index.js"));
    const config = mtime(path.join(root, "tsconfig.json"));
    return built === undefined || (config !== undefined && config > built);
};
if (!process.argv.includes("--force") && !staleSource(root, ALL_SOURCES) && !configChanged()) {
    markExecutable();
    console.log("aws-mq-guardrails: dist/ is current; not recompiling");
    process.exit(0);
}

const resolve = request => {
    try {
        return require.resolve(request, { paths: [root] });
    } catch {
        return undefined;
    }
};
// TypeScript itself may be present without devDependencies (it is a peer of @pulumi/pulumi); the Node
// typings are not, so their absence is what marks an install without the build toolchain.
const tsc = resolve("typescript/bin/tsc");
if (!tsc || !resolve("@types/node/package.json")) {
    if (existsSync(path.join(root, "dist", "index.js"))) {
        console.log("aws-mq-guardrails: TypeScript is not installed; using the compiled dist/ shipped with the pack");
        process.exit(0);
    }
    console.error("aws-mq-guardrails: cannot build dist/: TypeScript is not installed (install with devDependencies: npm ci)");
    process.exit(1);
}
// --noEmitOnError: a build with type errors writes nothing, so dist/ stays stale and the next build tries again
// (instead of finding a dist/ newer than its sources and calling it current).
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json"), "--noEmitOnError"], { stdio: "inherit", cwd: root });
if (result.status === 0) {
    markExecutable();
}
process.exit(result.status ?? 1);
