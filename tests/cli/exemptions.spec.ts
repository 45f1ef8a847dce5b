// `exemptions` through `analyze` (issue 13 §1): one pack run (in process, as `analyze` runs it, against the
// built pack) over brokers in each exemption state, then every format from that report; and validate-config
// refusing each malformed entry with exit 2.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { sarifValidator } from "../support/sarif";
import { SaxesParser } from "saxes";
import { analyze, AnalysisReport } from "../../cli/analyze";
import { formatTable, toJson } from "../../cli/format";
import { toJunit } from "../../cli/junit";
import { toMarkdown } from "../../cli/markdown";
import { toSarif } from "../../cli/sarif";
import { safeJson } from "../../cli/text";
import { utcToday } from "../../policies/lib/exemptions";
import { broker, exportOf, MARKDOWN_ATTACK, TERMINAL_ATTACK, urn } from "./hostile";
import { readExample, runMain, scratchDir, SharedPacks, validateConfigRun } from "./support";

const BROKER = "aws:mq/broker:Broker";
const POLICY = "mq-broker-auto-minor-version-upgrade";

/** The UTC date `days` from today (the pack judges on the real UTC date). */
function inDays(days: number): string {
    return utcToday(new Date(Date.now() + days * 86_400_000));
}

/** Four brokers failing the policy: three exempted (valid, about to expire, expired), one not. */
function stack(): object {
    return exportOf(["valid-b", "soon-b", "old-b", "plain-b"].map(name => broker(name, { autoMinorVersionUpgrade: false })));
}

/** The broker of the compliant ActiveMQ example, in its own stack ("prod") and in a copy of it renamed "lapsed". */
const ONE_BROKER = (stackName: string) => `urn:pulumi:${stackName}::messaging::${BROKER}::orders`;

function config(): object {
    return {
        [POLICY]: {
            enforcementLevel: "mandatory",
            exemptions: [
                { resources: ["valid-b"], reason: `SEC-1 vendor ${TERMINAL_ATTACK} ${MARKDOWN_ATTACK} <x>&"'`, expires: inDays(100) },
                { resources: ["urn:pulumi:*::soon-*"], reason: "SEC-2 migration in progress", expires: inDays(5) },
                { resources: ["old-b"], reason: "SEC-3 expired grant", expires: inDays(-3) },
                // For the exit-code case below (one config for the whole spec, so one start of the pack): these name
                // no resource of stack() (its brokers are urn:pulumi:prod::messaging::...::*-b).
                { resources: [ONE_BROKER("prod")], reason: "SEC-5", expires: inDays(30) },
                { resources: [ONE_BROKER("lapsed")], reason: "SEC-6", expires: inDays(-1) },
            ],
        },
    };
}

function xmlErrors(xml: string): string[] {
    const errors: string[] = [];
    const parser = new SaxesParser();
    parser.on("error", e => { errors.push(e.message); });
    parser.write(xml).close();
    return errors;
}

describe("aws-mq-guardrails analyze: exemptions", function () {
    this.timeout(180_000);
    const scratch = scratchDir();
    // One pack for the spec: the run below and the command's runs (in process) share its config.
    const packs = new SharedPacks();
    const configFile = path.join(scratch.dir, "config.json");
    let report: AnalysisReport;
    let printed: Record<string, string>;

    before(async () => {
        packs.install();
        const file = path.join(scratch.dir, "stack.json");
        fs.writeFileSync(file, JSON.stringify(stack()));
        fs.writeFileSync(configFile, JSON.stringify(config()));
        report = await analyze({ file, policyConfigFile: configFile, stackTags: {}, keepText: true });
        printed = {
            table: formatTable(report),
            json: safeJson(toJson(report, "0.0.0")),
            sarif: safeJson(toSarif(report, "0.0.0")),
            junit: toJunit([report]),
            markdown: toMarkdown([report]),
        };
    });
    after(async () => {
        await packs.uninstall();
        scratch.cleanup();
    });

    const ours = () => report.findings.filter(f => f.policyName === POLICY);

    it("reports no violation of the policy on a validly exempted broker, and one at its level on the others", () => {
        assert.deepStrictEqual(ours().filter(f => f.enforcementLevel === "mandatory").map(f => f.name).sort(), ["old-b", "plain-b"]);
        assert.ok(!ours().some(f => f.name === "valid-b"));
    });

    it("gives the broker about to expire an advisory notice and no mandatory violation", () => {
        const soon = ours().filter(f => f.name === "soon-b");
        assert.deepStrictEqual(soon.map(f => f.enforcementLevel), ["advisory"]);
        assert.match(soon[0].message, new RegExp(`^exemption expires on ${inDays(5)} \\(in 5 days\\): SEC-2`));
    });

    it("says the exemption expired on its date in the violation that came back", () => {
        const old = ours().find(f => f.name === "old-b")!;
        assert.match(old.message, new RegExp(`^exemption expired on ${inDays(-3)}: autoMinorVersionUpgrade is false`));
    });

    it("lists the exempted brokers in a separate section of the table, escaped", () => {
        const section = printed.table.slice(printed.table.indexOf("Exempted ("));
        assert.match(section, /^Exempted \(3 resource and policy pairs; reason as granted\):/);
        assert.match(section, new RegExp(`${POLICY}  ${BROKER} "valid-b"  exempted until ${inDays(100)}: SEC-1 vendor`));
        assert.match(section, new RegExp(`"soon-b"  expires on ${inDays(5)}: SEC-2`));
        assert.match(section, new RegExp(`"old-b"  expired on ${inDays(-3)} \\(the violation is reported above\\): SEC-3`));
        assert.ok(!/[\u001b\u0007\u202e\u2028\u009b]/.test(printed.table), "a control character reached the terminal");
        assert.ok(!/^::add-mask::/m.test(printed.table));
        assert.ok(section.indexOf("Exempted") < section.indexOf("FAIL:"), "the section comes before the summary");
    });

    it("writes an exemptions array in JSON: policy, urn, reason, expires, status", () => {
        const json = JSON.parse(printed.json);
        const rows = json.exemptions.map((e: any) => [e.policy, e.urn, e.expires, e.status]);
        assert.deepStrictEqual(rows, [
            [POLICY, urn(BROKER, "valid-b"), inDays(100), "valid"],
            [POLICY, urn(BROKER, "soon-b"), inDays(5), "expiring"],
            [POLICY, urn(BROKER, "old-b"), inDays(-3), "expired"],
        ]);
        assert.match(json.exemptions[1].reason, /^SEC-2 migration in progress$/);
    });

    it("gives each held exemption a SARIF result with an accepted external suppression and the reason", () => {
        const results = JSON.parse(printed.sarif).runs[0].results.filter((r: any) => r.ruleId === POLICY);
        const suppressed = results.filter((r: any) => r.suppressions);
        assert.deepStrictEqual(suppressed.map((r: any) => r.locations[0].logicalLocations[0].name), ["valid-b", "soon-b"]);
        assert.deepStrictEqual(suppressed[1].suppressions, [{ kind: "external", status: "accepted", justification: "SEC-2 migration in progress" }]);
        assert.match(suppressed[1].message.text, new RegExp(`expires on ${inDays(5)}`));
        // The notice is said in the suppressed result, not as a second alert of the same fingerprint.
        const prints = results.map((r: any) => r.partialFingerprints["policyResource/v1"]);
        assert.strictEqual(new Set(prints).size, prints.length);
        const unsuppressed = results.filter((r: any) => !r.suppressions).map((r: any) => r.locations[0].logicalLocations[0].name).sort();
        assert.deepStrictEqual(unsuppressed, ["old-b", "plain-b"]);
        assert.ok(!/[\u001b\u0007\u202e]/.test(printed.sarif));
    });

    it("writes exemption results that the SARIF 2.1.0 JSON schema accepts", () => {
        const validate = sarifValidator();
        assert.ok(validate(JSON.parse(printed.sarif)), JSON.stringify(validate.errors?.slice(0, 5)));
        // The check can fail: a suppression of an unknown kind is refused.
        const broken = JSON.parse(printed.sarif);
        broken.runs[0].results.find((r: any) => r.suppressions).suppressions[0].kind = "waived";
        assert.ok(!validate(broken), "an unknown suppression kind is refused by the schema");
    });

    it("marks held exemptions as skipped test cases in JUnit, with well-formed XML", () => {
        assert.deepStrictEqual(xmlErrors(printed.junit), []);
        const cases = printed.junit.split("<testcase ").filter(c => c.includes(`name="${POLICY}"`));
        const of = (name: string) => cases.find(c => c.includes(`.${name}"`))!;
        assert.match(of("valid-b"), new RegExp(`<skipped message="exempted until ${inDays(100)}: SEC-1 vendor`));
        assert.match(of("soon-b"), new RegExp(`<skipped message="expires on ${inDays(5)}: SEC-2`));
        assert.doesNotMatch(of("soon-b"), /<failure/);
        assert.match(of("old-b"), /<failure type="mandatory"/);
        assert.match(printed.junit, /skipped="2"/);
    });

    it("lists the exemptions in the Markdown summary, escaped", () => {
        const list = printed.markdown.slice(printed.markdown.indexOf("**Exempted** (3"));
        assert.match(list, new RegExp(`- ${POLICY.replace(/-/g, "-")} on aws:mq/broker:Broker valid-b: exempted until ${inDays(100)}; reason: SEC-1 vendor`));
        assert.ok(!list.includes("[click me](https"), "a link survived");
        assert.ok(!/(?<!\\)<img/.test(list) && list.includes("\\<img"), "HTML survived");
    });

    it("exits 0 when the only mandatory violation is exempted, and 1 once the exemption expired", async () => {
        // The compliant example with one change: its broker's autoMinorVersionUpgrade off; as it is (stack "prod",
        // exempted for 30 more days by config()) and renamed "lapsed" (its exemption expired yesterday).
        const compliant = readExample("compliant-activemq-stack.json");
        const resources = compliant.deployment.resources.filter((r: any) => r.type === BROKER);
        assert.strictEqual(resources.length, 1);
        assert.strictEqual(resources[0].urn, ONE_BROKER("prod"));
        for (const side of ["inputs", "outputs"]) {
            resources[0][side].autoMinorVersionUpgrade = false;
        }
        const run = async (stackName: string) => {
            const file = path.join(scratch.dir, `one-${stackName}.json`);
            fs.writeFileSync(file, JSON.stringify(compliant).split("urn:pulumi:prod::").join(`urn:pulumi:${stackName}::`));
            return runMain(["analyze", "--file", file, "--policy-pack-config", configFile, "--format", "json"]);
        };
        const held = await run("prod");
        assert.strictEqual(held.code, 0, held.stderr);
        assert.deepStrictEqual(JSON.parse(held.stdout).exemptions.map((e: any) => [e.urn, e.status]), [[ONE_BROKER("prod"), "valid"]]);
        const expired = await run("lapsed");
        assert.strictEqual(expired.code, 1, expired.stderr);
        assert.strictEqual(JSON.parse(expired.stdout).stack, "lapsed");
        assert.ok(JSON.parse(expired.stdout).violations.some((v: any) => v.urn === ONE_BROKER("lapsed")
            && v.message.startsWith(`exemption expired on ${inDays(-1)}: `)));
    });

    // In process, with the catalogue of the pack started above (one start, not one per file); the command's own
    // validate-config, pack start included, runs end to end in commands.spec.ts and validate-config-all-errors.spec.ts.
    describe("validate-config", () => {
        const cases: Array<[string, Record<string, unknown>, RegExp]> = [
            ["a missing reason", { resources: ["b"], expires: inDays(10) }, /exemptions\[0\]\.reason is required/],
            ["an empty reason", { resources: ["b"], reason: "", expires: inDays(10) }, /exemptions\[0\]\.reason is required/],
            ["a malformed date", { resources: ["b"], reason: "SEC-9", expires: "2027-02-30" }, /exemptions\[0\]\.expires is not a calendar date/],
            ["an expiry too far out", { resources: ["b"], reason: "SEC-9", expires: inDays(366) }, /exemptions\[0\]\.expires \(\d{4}-\d{2}-\d{2}\) is 366 days away; at most 365/],
        ];
        for (const [what, entry, expected] of cases) {
            it(`refuses ${what} with exit 2, naming the policy and the entry`, async () => {
                const file = path.join(scratch.dir, "bad.json");
                fs.writeFileSync(file, JSON.stringify({ [POLICY]: { exemptions: [entry] } }));
                const result = await validateConfigRun(file, report.info);
                assert.strictEqual(result.code, 2, result.stderr);
                assert.match(result.stderr, new RegExp(`${POLICY}: ${expected.source}`));
            });
        }

        it("accepts valid, expiring and expired entries", async () => {
            const file = path.join(scratch.dir, "good.json");
            fs.writeFileSync(file, JSON.stringify(config()));
            const result = await validateConfigRun(file, report.info);
            assert.strictEqual(result.code, 0, result.stderr);
        });
    });
});
