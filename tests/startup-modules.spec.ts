// Start-up stays close to a trivial pack's: the built entry point loads no package beyond what
// @pulumi/policy itself loads (no ajv, @pulumi/aws or typescript from the policies). Not a timing test:
// it checks which modules are loaded, which does not depend on how busy the machine is.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const REPO = path.resolve(__dirname, "..");

/** Packages (by node_modules name) that requiring `entry` adds after @pulumi/policy is loaded. */
function packagesAddedBy(entry: string): string[] {
    const script = `
        require("@pulumi/policy");
        const before = new Set(Object.keys(require.cache));
        require(${JSON.stringify(entry)});
        const added = new Set();
        for (const file of Object.keys(require.cache)) {
            if (before.has(file)) continue;
            const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);
            if (m) added.add(m[1].replace(/\\\\/g, "/"));
        }
        process.stdout.write(JSON.stringify([...added].sort()));
    `;
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8" }));
}

describe("start-up modules", () => {
    // dist/index.js itself would start the gRPC server; it requires only these besides @pulumi/policy.
    for (const entry of ["policies/index.js", "policies/lib/sdk-decode-cache.js"]) {
        it(`dist/${entry} loads no package beyond what @pulumi/policy loads`, function () {
            this.timeout(60_000);
            const file = path.join(REPO, "dist", entry);
            assert.ok(fs.existsSync(file), `dist/${entry} is missing: npm test builds it first`);
            assert.deepStrictEqual(packagesAddedBy(file), []);
        });
    }

    it("loads re2js only once a brokerNamePattern is configured, and only the pattern matcher needs it", function () {
        this.timeout(60_000);
        const script = `
            const loaded = () => Object.keys(require.cache).some(f => /node_modules[\\\\/]re2js[\\\\/]/.test(f));
            const { policies } = require(${JSON.stringify(path.join(REPO, "dist", "policies", "index.js"))});
            const naming = policies.find(p => p.name === "mq-broker-safe-naming");
            const steps = [loaded()];
            naming.validateConfig({ brokerNamePattern: "" });
            steps.push(loaded());
            naming.validateConfig({ brokerNamePattern: "^orders-[a-z]+$" });
            steps.push(loaded());
            process.stdout.write(JSON.stringify(steps));
        `;
        const steps = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8" }));
        assert.deepStrictEqual(steps, [false, false, true]);
    });

    it("the check can fail: a module that loads ajv is reported", function () {
        this.timeout(60_000);
        assert.ok(packagesAddedBy("ajv").includes("ajv"));
    });
});
