// The pack as Pulumi Cloud installs a published pack: `npm pack` of the folder `pulumi policy publish` runs in
// (build/policy-pack, staged by `npm run pack:policy`), the tarball's package/ extracted into a fresh folder, a plain
// `npm install` there, then the real engine loads that folder.
import assert from "assert";
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync } from "fs";
import path from "path";
import { engineFindings, key, pulumi, requireCli, ROOT, workspace, Workspace } from "./support";

function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(result.status, 0, `${command} ${args.join(" ")}: ${result.stdout}\n${result.stderr}`);
    return result.stdout;
}

describe("real Pulumi CLI: the published pack", function () {
    this.timeout(15 * 60 * 1000);
    let ws: Workspace;
    let installed: string;

    before(function () {
        ws = workspace(requireCli(this));
        const out = path.join(ws.home, "tarball");
        mkdirSync(out);
        // What the README says to publish: dist/ built if stale, then the staged pack.
        run(process.execPath, [path.join("scripts", "prepare.js")], ROOT);
        run(process.execPath, [path.join("scripts", "stage-pack.js")], ROOT);
        run("npm", ["pack", "--pack-destination", out], path.join(ROOT, "build", "policy-pack"));
        const tarball = readdirSync(out).find(f => f.endsWith(".tgz"));
        assert.ok(tarball, "npm pack wrote no tarball");
        const dir = path.join(ws.home, "published");
        mkdirSync(dir);
        run("tar", ["-xzf", path.join(out, tarball), "-C", dir], ROOT);
        installed = path.join(dir, "package");
        run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], installed);
    });
    after(() => ws?.cleanup());

    it("installs only the pack: no CLI, engine or test dependency, no cli/ or engine/ code", () => {
        for (const name of ["ajv", "@pulumi/aws", "typescript", "mocha", "ts-node", "fast-check"]) {
            assert.ok(!existsSync(path.join(installed, "node_modules", ...name.split("/"))), `${name} was installed`);
        }
        assert.ok(existsSync(path.join(installed, "node_modules", "@pulumi", "policy")));
        assert.ok(!existsSync(path.join(installed, "dist", "cli")) && !existsSync(path.join(installed, "dist", "engine")));
    });

    it("boots from the installed tarball and judges as the work tree does", () => {
        const file = path.join(ROOT, "examples", "insecure-stack.json");
        const published = pulumi(ws, ["policy", "analyze", "--file", file, "--policy-pack", installed, "--json"]);
        const tree = pulumi(ws, ["policy", "analyze", "--file", file, "--policy-pack", ROOT, "--json"]);
        assert.strictEqual(published.status, 1, published.stderr);
        const findings = engineFindings(published.stdout).map(key);
        assert.ok(findings.length > 0);
        assert.deepStrictEqual(findings, engineFindings(tree.stdout).map(key));
    });

    it("passes a compliant export from the installed tarball", () => {
        const file = path.join(ROOT, "examples", "compliant-rabbitmq-stack.json");
        const published = pulumi(ws, ["policy", "analyze", "--file", file, "--policy-pack", installed, "--json"]);
        assert.strictEqual(published.status, 0, published.stderr);
        assert.deepStrictEqual(engineFindings(published.stdout), []);
    });
});
