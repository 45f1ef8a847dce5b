// `aws-mq-guardrails analyze` on the examples (and variants of them): every output format, exit codes, stack
// tags and policy config, and no secret value in any output. Each stack is analyzed once, in process, as the
// command does (the pack runs in its own process), and that one report is formatted every way; a few runs of
// the built command check the process boundary (exit codes, standard input, stderr).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { analyze, AnalysisReport, isBlocking } from "../../cli/analyze";
import { formatTable, toJson } from "../../cli/format";
import { launchPack } from "../../cli/pack";
import { toSarif } from "../../cli/sarif";
import { safeJson } from "../../cli/text";
import { SECRET_SIG, SIG_KEY } from "../../engine/properties";
import type { PackSession } from "../../engine/session";
import { CliResult, example, readExample, runAll, runMain, scratchDir } from "./support";

/** --show-secrets passwords for a copy of the compliant ActiveMQ stack: strong, so the stack still passes. */
const SHOWN_PASSWORDS = ["Gv7qLp2XwT9dq4Rb6mZs", "Nf8kWc3yPr5hJt2xLv9e"];
/** The insecure example's hard-coded password. */
const INSECURE_PASSWORD = "brokerpassword";

/** Replaces every encrypted secret with the plaintext `pulumi stack export --show-secrets` writes. */
function showSecrets(value: any, next: () => string): any {
    if (Array.isArray(value)) {
        return value.map(v => showSecrets(v, next));
    }
    if (value && typeof value === "object") {
        if (value[SIG_KEY] === SECRET_SIG && typeof value.ciphertext === "string") {
            return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(next()) };
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, showSecrets(v, next)]));
    }
    return value;
}

/** What the command prints for a report, in each format, and the exit code it gives. */
function printed(report: AnalysisReport): CliResult & { report: AnalysisReport; table: string; json: string; sarif: string } {
    const code = report.findings.some(isBlocking) ? 1 : 0;
    const table = formatTable(report);
    const jsonText = safeJson(toJson(report, "0.1.0")) + "\n";
    const sarif = safeJson(toSarif(report, "0.1.0")) + "\n";
    return { code, signal: null, stdout: jsonText, stderr: "", report, table, json: jsonText, sarif };
}

function json(result: CliResult): any {
    try {
        return JSON.parse(result.stdout);
    } catch (e) {
        assert.fail(`stdout is not JSON (${(e as Error).message}); stderr: ${result.stderr}`);
    }
}

describe("aws-mq-guardrails analyze", function () {
    this.timeout(240_000);
    const scratch = scratchDir();
    const runs: Record<string, CliResult> = {};
    const reports: Record<string, ReturnType<typeof printed>> = {};
    let policyNames: string[] = [];
    let defaults: PackSession | undefined;

    before(async () => {
        // A --show-secrets export of the compliant stack: user passwords in plaintext, other secrets too.
        const shown = path.join(scratch.dir, "shown-secrets.json");
        let counter = 0;
        const plain = showSecrets(readExample("compliant-activemq-stack.json"), () => SHOWN_PASSWORDS[counter++ % SHOWN_PASSWORDS.length]);
        fs.writeFileSync(shown, JSON.stringify(plain, null, 4));

        const { policies } = require("../../policies") as { policies: Array<{ name: string }> };
        policyNames = policies.map(p => p.name);
        const byTag = path.join(scratch.dir, "advisory-by-tag.json");
        fs.writeFileSync(byTag, JSON.stringify(Object.fromEntries(policyNames.map(name =>
            [name, { advisoryStackTags: { environment: ["sandbox"] } }]))));
        const badSchema = path.join(scratch.dir, "bad-schema.json");
        fs.writeFileSync(badSchema, JSON.stringify({ "mq-broker-no-public-access": { exclude: "legacy-broker" } }));

        const remediateLevel = path.join(scratch.dir, "remediate.json");
        fs.writeFileSync(remediateLevel, JSON.stringify({ "mq-broker-auto-minor-version-upgrade": "remediate" }));

        const stdin = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "insecure-stack.json"));
        // In process, two at a time: one start of the pack for the default config (policies read only the stack's
        // tags and the config, so one started pack judges several exports), one per other config.
        defaults = await launchPack({ stack: { name: "sandbox", project: "messaging", organization: "organization", tags: {} } });
        const inProcess: Record<string, Parameters<typeof analyze>[0]> = {
            activemq: { file: example("compliant-activemq-stack.json"), stackTags: {}, keepText: true, session: defaults },
            rabbitmq: { file: example("compliant-rabbitmq-stack.json"), stackTags: {}, keepText: true, session: defaults },
            insecure: { file: example("insecure-stack.json"), stackTags: {}, keepText: true, session: defaults },
            shown: { file: shown, stackTags: {}, keepText: true, session: defaults },
            tagged: { file: example("insecure-stack.json"), policyConfigFile: byTag, stackTags: { environment: "sandbox", team: "payments" } },
            remediateLevel: { file: example("insecure-stack.json"), policyConfigFile: remediateLevel, stackTags: {} },
        };
        const keys = Object.keys(inProcess);
        const worker = async () => {
            for (let key = keys.shift(); key !== undefined; key = keys.shift()) {
                reports[key] = printed(await analyze(inProcess[key]));
            }
        };
        // End to end: the table and exit code 1, standard input with a config (exit 0). A config the schema rejects
        // (exit 2) through cli/main.ts in process: inputs.spec.ts and commands.spec.ts run exit 2 through dist/.
        // allSettled, not all: when one run fails, the others still finish (and close the packs they started)
        // before the hook fails, so no pack outlives the spec (the root hooks check none is left).
        const settled = await Promise.allSettled([
            runAll({
                insecureTable: { args: ["analyze", "--file", example("insecure-stack.json")] },
                dev: { args: ["analyze", "--file", "-", "--policy-pack-config", "config/dev.json", "--format", "json"], stdin },
            }, 1),
            runMain(["analyze", "--file", example("insecure-stack.json"), "--policy-pack-config", badSchema]),
            worker(),
            worker(),
        ]);
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) {
            throw failed.reason;
        }
        const [e2e, badSchemaRun] = settled.map(r => (r as PromiseFulfilledResult<unknown>).value) as
            [Awaited<ReturnType<typeof runAll>>, Awaited<ReturnType<typeof runMain>>];
        Object.assign(runs, e2e, { badSchema: badSchemaRun });
        for (const [key, report] of Object.entries(reports)) {
            runs[key] ??= report;
            runs[`${key}Json`] ??= report;
            runs[`${key}Table`] ??= { ...report, stdout: report.table };
            runs[`${key}Sarif`] ??= { ...report, stdout: report.sarif };
        }
    });
    after(async () => {
        await defaults?.close();
        scratch.cleanup();
    });

    it("passes the compliant ActiveMQ active/standby stack (exit 0, no violation)", () => {
        const { code, stderr } = runs.activemq;
        const report = json(runs.activemq);
        assert.deepStrictEqual(report.violations, [], JSON.stringify(report.violations, null, 2));
        assert.strictEqual(report.summary.result, "pass");
        assert.strictEqual(code, 0, stderr);
    });

    it("passes the compliant RabbitMQ cluster stack (exit 0, no violation)", () => {
        const report = json(runs.rabbitmq);
        assert.deepStrictEqual(report.violations, [], JSON.stringify(report.violations, null, 2));
        assert.strictEqual(runs.rabbitmq.code, 0, runs.rabbitmq.stderr);
    });

    it("fails the insecure stack with mandatory violations (exit 1)", () => {
        const report = json(runs.insecureJson);
        assert.strictEqual(runs.insecureJson.code, 1, runs.insecureJson.stderr);
        assert.strictEqual(report.summary.result, "fail");
        assert.ok(report.summary.mandatory > 0);
        const broker = "urn:pulumi:sandbox::messaging::aws:mq/broker:Broker::orders-sandbox";
        const fired = new Set(report.violations.filter((v: any) => v.urn === broker).map((v: any) => v.policyName));
        for (const name of ["mq-broker-no-public-access", "mq-broker-high-availability", "mq-broker-kms-encryption"]
            .filter(n => policyNames.includes(n))) {
            assert.ok(fired.has(name), `${name} reports the insecure broker`);
        }
        for (const v of report.violations) {
            assert.ok(["mandatory", "advisory"].includes(v.enforcementLevel));
            assert.ok(v.message.length > 0 && v.policyName && v.urn.startsWith("urn:pulumi:sandbox::messaging::"));
        }
    });

    it("prints a table grouped by resource, with policy, level and message, and a summary line", () => {
        const { stdout, code } = runs.insecureTable;
        assert.strictEqual(code, 1);
        assert.match(stdout, /^aws:mq\/broker:Broker "orders-sandbox"  urn:pulumi:sandbox::messaging::aws:mq\/broker:Broker::orders-sandbox$/m);
        assert.match(stdout, /^ {2}POLICY +LEVEL +SEVERITY +MESSAGE$/m);
        assert.match(stdout, /^ {2}mq-broker-no-public-access +mandatory +critical +publiclyAccessible is true/m);
        assert.match(stdout, /^FAIL: \d+ violations? \(\d+ mandatory, \d+ advisory\) on \d+ resources?\. \d+ polic(y|ies) checked 5 resources\.$/m);
    });

    it("starts the table with the stack, leaving out the placeholder organization", () => {
        assert.match(runs.insecureTable.stdout, /^aws-mq-guardrails \S+: stack messaging\/sandbox from examples\/insecure-stack\.json$/m);
        const withOrg = formatTable({ ...reports.insecure.report, organization: "acme" });
        assert.match(withOrg, /^aws-mq-guardrails \S+: stack acme\/messaging\/sandbox from /m);
    });

    it("shows each finding's fix under it in the table, and each policy's fix in JSON", () => {
        const { policies } = require("../../policies") as { policies: Array<{ name: string; remediationSteps: string }> };
        const fix = policies.find(p => p.name === "mq-broker-no-public-access")!.remediationSteps;
        const lines = runs.insecureTable.stdout.split("\n");
        const at = lines.findIndex(l => /^ {2}mq-broker-no-public-access /.test(l));
        const fixLine = lines.slice(at + 1).find(l => /^\s+fix: /.test(l));
        assert.ok(fixLine && fix.startsWith(fixLine.trim().slice("fix: ".length)), fixLine);
        const report = json(runs.insecureJson);
        assert.strictEqual(report.remediations["mq-broker-no-public-access"], fix);
        for (const v of report.violations) {
            assert.ok(report.remediations[v.policyName].length > 0, `${v.policyName} has a fix`);
        }
    });

    it("shows a remediate-level violation as mandatory, as the engine does when Analyze still finds it", () => {
        const report = json(runs.remediateLevel);
        assert.strictEqual(runs.remediateLevel.code, 1);
        const upgrade = report.violations.filter((v: any) => v.policyName === "mq-broker-auto-minor-version-upgrade");
        assert.strictEqual(upgrade.length, 1);
        assert.strictEqual(upgrade[0].enforcementLevel, "mandatory");
    });

    it("writes SARIF 2.1.0 that GitHub code scanning accepts", () => {
        const sarif = json(runs.insecureSarif);
        assert.strictEqual(runs.insecureSarif.code, 1);
        assert.strictEqual(sarif.version, "2.1.0");
        assert.match(sarif.$schema, /sarif-2\.1\.0/);
        assert.strictEqual(sarif.runs.length, 1);
        const run = sarif.runs[0];
        assert.strictEqual(run.tool.driver.name, "aws-mq-guardrails");
        const rules: any[] = run.tool.driver.rules;
        assert.deepStrictEqual(rules.map(r => r.id).sort(), [...policyNames].sort());
        for (const rule of rules) {
            assert.ok(rule.shortDescription.text.length > 0, `${rule.id} shortDescription`);
            assert.ok(rule.help.text.length > 0, `${rule.id} help`);
            assert.match(rule.helpUri, /^https:\/\//);
            assert.ok(Array.isArray(rule.properties.tags) && rule.properties.tags.includes("security"));
            assert.ok(["9.5", "8.0", "5.5", "3.0"].includes(rule.properties["security-severity"]), `${rule.id} security-severity`);
        }
        const publicRule = rules.find(r => r.id === "mq-broker-no-public-access");
        assert.strictEqual(publicRule.properties["security-severity"], "9.5");
        assert.ok(run.results.length > 0);
        const report = json(runs.insecureJson);
        assert.strictEqual(run.results.length, report.violations.length);
        for (const result of run.results) {
            assert.ok(rules[result.ruleIndex].id === result.ruleId, "ruleIndex points at the rule");
            assert.ok(["error", "warning"].includes(result.level));
            assert.ok(result.message.text.length > 0);
            const location = result.locations[0];
            assert.strictEqual(location.physicalLocation.artifactLocation.uri, "examples/insecure-stack.json");
            assert.ok(Number.isInteger(location.physicalLocation.region.startLine) && location.physicalLocation.region.startLine >= 1);
            assert.match(location.logicalLocations[0].fullyQualifiedName, /^urn:pulumi:sandbox::messaging::/);
        }
        const pub = run.results.find((r: any) => r.ruleId === "mq-broker-no-public-access");
        assert.strictEqual(pub.level, "error");
        // One stable fingerprint per finding, so GitHub keeps one alert per finding across runs (the two
        // mq-broker-logging findings on the broker included).
        const prints = run.results.map((r: any) => r.partialFingerprints["policyResource/v1"]);
        assert.ok(prints.every((p: unknown) => typeof p === "string" && /^[0-9a-f]{32}$/.test(p as string)));
        assert.strictEqual(new Set(prints).size, prints.length);
        const lines = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "insecure-stack.json"), "utf8").split("\n");
        assert.match(lines[pub.locations[0].physicalLocation.region.startLine - 1], /"urn": "urn:pulumi:sandbox::messaging::aws:mq\/broker:Broker::orders-sandbox"/,
            "the region points at the broker's entry in the export");
    });

    it("judges a --show-secrets export with the secret values, and passes strong ones", () => {
        const report = json(runs.shownJson);
        assert.deepStrictEqual(report.violations, [], JSON.stringify(report.violations, null, 2));
        assert.strictEqual(report.summary.encryptedSecretsNotJudged, 0);
        assert.strictEqual(runs.shownJson.code, 0);
    });

    it("never prints a plaintext or hard-coded password, in any format", () => {
        for (const key of ["shownTable", "shownJson", "shownSarif"]) {
            for (const password of SHOWN_PASSWORDS) {
                assert.ok(!runs[key].stdout.includes(password) && !runs[key].stderr.includes(password), `${key} shows a password`);
            }
        }
        for (const key of ["insecureTable", "insecureJson", "insecureSarif", "dev", "taggedJson", "badSchema"]) {
            assert.ok(!runs[key].stdout.includes(INSECURE_PASSWORD) && !runs[key].stderr.includes(INSECURE_PASSWORD), `${key} shows a password`);
        }
    });

    it("reads standard input (--file -) and applies --policy-pack-config: config/dev.json makes every finding advisory (exit 0)", () => {
        const report = json(runs.dev);
        assert.strictEqual(runs.dev.code, 0, runs.dev.stderr);
        assert.ok(report.violations.length > 0);
        assert.ok(report.violations.every((v: any) => v.enforcementLevel === "advisory"));
        const key = (v: any) => `${v.policyName} ${v.urn} ${v.message}`;
        const advisory = new Set(report.violations.map(key));
        for (const v of json(runs.insecureJson).violations) {
            assert.ok(advisory.has(key(v)), `config/dev.json still reports ${key(v)}`);
        }
    });

    it("sends --stack-tag to the pack: advisoryStackTags turn the matching stack's findings advisory", () => {
        const report = json(runs.tagged);
        assert.strictEqual(runs.tagged.code, 0);
        assert.ok(report.violations.length > 0);
        assert.ok(report.violations.every((v: any) => v.enforcementLevel === "advisory"));
    });

    it("rejects a policy config the schema rejects: one line naming the policy and setting, exit 2", () => {
        const { code, stdout, stderr } = runs.badSchema;
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^aws-mq-guardrails: validating policy config: mq-broker-no-public-access: exclude\b.*array/);
        assert.strictEqual(stderr.trimEnd().split("\n").length, 1);
    });
});
