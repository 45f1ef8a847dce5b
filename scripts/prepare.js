// `prepare` and `build` (npm ci, npm install, npm pack, npm test): compile the pack to dist/.
// An installed copy of the published pack (what `pulumi policy publish` uploads is `npm pack` output, whose
// dist/ this same script has just built) may be installed without devDependencies; then there is no
// compiler and the shipped dist/ is used as it is, instead of failing the install.
"use strict";
const { chmodSync, existsSync } = require("fs");
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
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
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit", cwd: root });
if (result.status === 0) {
    // npm links a package's own bin before prepare builds it, so `npx aws-mq-guardrails` in this directory runs
    // the file directly: it must be executable.
    chmodSync(path.join(root, "dist", "cli", "main.js"), 0o755);
}
process.exit(result.status ?? 1);
