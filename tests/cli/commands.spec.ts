// The other commands: describe (the catalogue as the engine reads it), validate-config (the engine's config
// validation, locally), help and --version. The pack's catalogue is read once, in process, and every check
// is made from it; a few runs of the built command check the process boundary (exit codes, stdout, stderr).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { describePack, validateConfigFile } from "../../cli/catalogue";
import { catalogueJson, formatCatalogue, formatConfigCheck } from "../../cli/format";
import { assertOneCleanLine, CliResult, ROOT, runAll, runMain, scratchDir, SharedPacks } from "./support";

/** What the command prints for a config check, and its exit code. */
function configRun(check: Awaited<ReturnType<typeof validateConfigFile>>): CliResult {
    const { out, err } = formatConfigCheck(check);
    return { code: check.errors.length > 0 ? 2 : 0, signal: null, stdout: out, stderr: err };
}

describe("aws-mq-guardrails describe, validate-config, --help, --version", function () {
    this.timeout(180_000);
    const scratch = scratchDir();
    const runs: Record<string, CliResult> = {};
    let policyNames: string[] = [];
    // The in-process runs that start the pack (validate-config, describe) share one start.
    const packs = new SharedPacks();

    before(async () => {
        packs.install();
        const { policies } = require("../../policies") as { policies: Array<{ name: string }> };
        policyNames = policies.map(p => p.name);
        const bad = path.join(scratch.dir, "bad.json");
        fs.writeFileSync(bad, JSON.stringify({
            "all": "advisory",
            "mq-broker-no-public-access": { enforcementLevel: "mandatory", exclude: "legacy", advisoryStackTags: { env: "dev" } },
            "mq-broker-typo": "mandatory",
        }));
        const level = path.join(scratch.dir, "level.json");
        fs.writeFileSync(level, JSON.stringify({ "mq-broker-no-public-access": "warn" }));
        const notJson = path.join(scratch.dir, "secrets.json");
        fs.writeFileSync(notJson, '{"password": "hunter2-Gv7qLp2X", oops');
        const readyConfigs = fs.readdirSync(path.join(ROOT, "config")).filter(f => f.endsWith(".json"));
        // End to end: one run that starts the pack, one that does not.
        const e2e = runAll({
            bad: { args: ["validate-config", bad] },
            version: { args: ["--version"] },
        });
        // In process (cli/main.ts, output captured): the ones that do not start the pack.
        const inProcess: Record<string, string[]> = {
            level: ["validate-config", level],
            notJson: ["validate-config", notJson],
            missing: ["validate-config", "config/none.json"],
            help: ["--help"],
            analyzeHelp: ["analyze", "--help"],
            analyzeH: ["analyze", "-h"],
            helpAnalyze: ["help", "analyze"],
            helpValidate: ["help", "validate-config"],
        };
        for (const [key, args] of Object.entries(inProcess)) {
            runs[key] = await runMain(args);
        }
        // In process: the catalogue once, every ready config checked against it.
        const info = await describePack();
        runs.describeTable = { code: 0, signal: null, stdout: formatCatalogue(info), stderr: "" };
        runs.describeJson = { code: 0, signal: null, stdout: JSON.stringify(catalogueJson(info)), stderr: "" };
        for (const f of readyConfigs) {
            runs[`config/${f}`] = configRun(await validateConfigFile(`config/${f}`, info));
        }
        Object.assign(runs, await e2e);
    });
    after(async () => {
        await packs.uninstall();
        scratch.cleanup();
    });

    it("builds the package's bin executable, so `npx aws-mq-guardrails` runs it from the package directory", () => {
        const bin = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).bin["aws-mq-guardrails"];
        const file = path.join(ROOT, bin);
        assert.match(fs.readFileSync(file, "utf8").split("\n")[0], /^#!\/usr\/bin\/env node$/);
        assert.doesNotThrow(() => fs.accessSync(file, fs.constants.X_OK), `${bin} is executable`);
    });

    it("describe --format json lists every policy with severity, default level and config schema", () => {
        assert.strictEqual(runs.describeJson.code, 0, runs.describeJson.stderr);
        const catalogue = JSON.parse(runs.describeJson.stdout);
        assert.strictEqual(catalogue.name, "aws-mq-guardrails");
        assert.deepStrictEqual(catalogue.policies.map((p: any) => p.name), policyNames);
        for (const p of catalogue.policies) {
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity), p.name);
            assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(p.enforcementLevel), p.name);
            assert.ok(p.configSchema.properties.exclude && p.configSchema.properties.advisoryStackTags, `${p.name} schema`);
        }
    });

    it("describe prints a table of the policies and their settings", () => {
        assert.strictEqual(runs.describeTable.code, 0);
        assert.match(runs.describeTable.stdout, /^POLICY +SEVERITY +LEVEL +DESCRIPTION$/m);
        for (const name of policyNames) {
            assert.match(runs.describeTable.stdout, new RegExp(`^${name} +(low|medium|high|critical) +`, "m"));
        }
    });

    it("validate-config accepts every ready config in config/", () => {
        const keys = Object.keys(runs).filter(k => k.startsWith("config/"));
        assert.ok(keys.includes("config/dev.json"));
        for (const key of keys) {
            assert.strictEqual(runs[key].code, 0, `${key}: ${runs[key].stderr}`);
            assert.strictEqual(runs[key].stdout, `OK: ${key} is a valid policy config for this pack\n`);
        }
    });

    it("validate-config lists every schema error with its policy and setting (exit 2)", () => {
        const { code, stderr, stdout } = runs.bad;
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /is not a valid policy config \(2 errors\):/);
        assert.match(stderr, /^ {2}mq-broker-no-public-access: exclude: Invalid type\. Expected: array, given: string$/m);
        assert.match(stderr, /^ {2}mq-broker-no-public-access: advisoryStackTags\.env: Invalid type\. Expected: array, given: string$/m);
        assert.match(stderr, /^warning: "mq-broker-typo" is not a policy of aws-mq-guardrails; the engine ignores it/m);
    });

    it("validate-config rejects an unknown enforcement level", () => {
        assert.strictEqual(runs.level.code, 2);
        assert.match(runs.level.stderr, /the value of "mq-broker-no-public-access" is not a valid enforcement level/);
    });

    it("validate-config says a file that is not JSON is not, in one line, without quoting it", () => {
        const { code, stdout, stderr } = runs.notJson;
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.ok(!assertOneCleanLine(stderr), stderr);
        assert.match(stderr, /^aws-mq-guardrails: \S+secrets\.json is not valid JSON at line 1, column 34; /);
        assert.ok(!stderr.includes("hunter2"), stderr);
    });

    it("validate-config says a missing file is missing, in one line", () => {
        assert.strictEqual(runs.missing.code, 2);
        assert.ok(!assertOneCleanLine(runs.missing.stderr), runs.missing.stderr);
        assert.match(runs.missing.stderr, /config\/none\.json does not exist/);
    });

    it("--help and analyze --help describe the commands and exit codes", () => {
        assert.strictEqual(runs.help.code, 0);
        assert.match(runs.help.stdout, /aws-mq-guardrails analyze --file <stack\.json>/);
        assert.match(runs.help.stdout, /Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or usage/);
        assert.strictEqual(runs.analyzeHelp.code, 0);
        for (const flag of ["--file", "--policy-pack-config", "--stack-tag", "--format <format>", "table, json, sarif, junit or markdown", "--source-root", "--organization", "--timeout"]) {
            assert.ok(runs.analyzeHelp.stdout.includes(flag), flag);
        }
    });

    it("analyze -h and help analyze print analyze's own help; help validate-config its own", () => {
        for (const key of ["analyzeH", "helpAnalyze"]) {
            assert.strictEqual(runs[key].code, 0, runs[key].stderr);
            assert.strictEqual(runs[key].stdout, runs.analyzeHelp.stdout, key);
        }
        assert.strictEqual(runs.helpValidate.code, 0);
        assert.match(runs.helpValidate.stdout, /^Usage: aws-mq-guardrails validate-config <config\.json>/);
    });

    it("--version prints the package version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.strictEqual(runs.version.code, 0);
        assert.strictEqual(runs.version.stdout.trim(), pkg.version);
    });
});
