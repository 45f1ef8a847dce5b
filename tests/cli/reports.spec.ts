// Reports where teams look (issue 13 §3): source positions (SARIF locations at the program line, `file:line` in
// the table and JSON), JUnit XML, a Markdown summary, several stacks at once, the compliance matrix. One pack run
// on a hostile export whose brokers carry source positions (in process, as `analyze` runs it; hostile.ts
// hostileReport, the same run hardening.spec.ts formats), then every format from that one report; the same
// hostile-input checks as the other formats.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { sarifValidator } from "../support/sarif";
import { SaxesParser } from "saxes";
import { analyze, AnalysisReport, analyzeMany } from "../../cli/analyze";
import { formatTable, toJson } from "../../cli/format";
import { toJunit } from "../../cli/junit";
import { MAX_ROWS, markdownText, toMarkdown } from "../../cli/markdown";
import { artifactUri, toSarif, toSarifMany } from "../../cli/sarif";
import { normalizeSourceRoot, parseSourcePosition } from "../../cli/source";
import { safeJson } from "../../cli/text";
import { hostileReport, MARKDOWN_ATTACK, RAW_CONTROL, SECRET_VALUES, urn } from "./hostile";
import { runAll, runMain, scratchDir, SharedPacks } from "./support";

const BROKER = "aws:mq/broker:Broker";

/** XML well-formedness errors, as a strict parser reports them. */
function xmlErrors(text: string): string[] {
    const errors: string[] = [];
    const parser = new SaxesParser();
    parser.on("error", e => errors.push(e.message));
    parser.write(text).close();
    return errors;
}

/** The cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
    return row.replace(/\\\\/g, "").split(/(?<!\\)\|/).slice(1, -1);
}

describe("aws-mq-guardrails analyze: reports where teams look", function () {
    this.timeout(180_000);
    let report: AnalysisReport;
    let printed: Record<string, string>;

    before(async () => {
        report = await hostileReport();
        // A 10 MB storageType, as a policy that echoes it whole would report it (the formats' bounds are tested here).
        const durable = report.findings.find(f => f.policyName === "mq-broker-durable-storage")!;
        report.findings.push({ ...durable, message: `storageType is ebs${"e".repeat(10 * 1024 * 1024)} on a single-instance broker` });
        printed = {
            table: formatTable(report),
            json: safeJson(toJson(report, "0.0.0")),
            sarif: safeJson(toSarif(report, "0.0.0")),
            junit: toJunit([report]),
            markdown: toMarkdown([report]),
        };
    });

    describe("source positions", () => {
        it("points SARIF results at the program file and line that declare the broker, relative to the repository", () => {
            const results = JSON.parse(printed.sarif).runs[0].results;
            const onA = results.filter((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === urn(BROKER, "secret-a"));
            assert.ok(onA.length > 0, "findings on the broker declared at src/brokers.ts");
            for (const r of onA) {
                assert.deepStrictEqual(r.locations[0].physicalLocation,
                    { artifactLocation: { uri: "infra/src/brokers.ts" }, region: { startLine: 12, startColumn: 5 } });
            }
        });

        it("keeps the export's own location for a broker without a usable source position", () => {
            const results = JSON.parse(printed.sarif).runs[0].results;
            const onB = results.filter((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === urn(BROKER, "secret-b"));
            assert.ok(onB.length > 0);
            const line = report.text.split("\n").findIndex(l => l.includes(`"urn": ${JSON.stringify(urn(BROKER, "secret-b"))}`)) + 1;
            assert.ok(line > 1);
            for (const r of onB) {
                assert.strictEqual(r.locations[0].physicalLocation.artifactLocation.uri, artifactUri(report.file));
                assert.strictEqual(r.locations[0].physicalLocation.region.startLine, line);
            }
        });

        it("writes SARIF that the SARIF 2.1.0 JSON schema accepts", () => {
            const validate = sarifValidator();
            const sarif = JSON.parse(printed.sarif);
            assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
            // The check can fail: a region without its start line is refused.
            const broken = JSON.parse(printed.sarif);
            broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
            assert.ok(!validate(broken), "a line 0 is refused by the schema");
        });

        it("shows file:line in the table and in JSON", () => {
            assert.match(printed.table, /aws:mq\/broker:Broker "secret-a" {2}urn:\S+ {2}at infra\/src\/brokers\.ts:12\n/);
            const violations = JSON.parse(printed.json).violations;
            const onA = violations.filter((v: any) => v.urn === urn(BROKER, "secret-a"));
            assert.ok(onA.length > 0 && onA.every((v: any) => v.source === "infra/src/brokers.ts:12"));
            assert.ok(violations.filter((v: any) => v.urn !== urn(BROKER, "secret-a")).every((v: any) => v.source === undefined));
        });

        it("reads the engine's format and nothing else: a crafted position is ignored", () => {
            assert.deepStrictEqual(parseSourcePosition("project:///index.ts#12,5"), { file: "index.ts", line: 12, column: 5 });
            assert.deepStrictEqual(parseSourcePosition("project:///src/my%20brokers.ts#7", "infra"), { file: "infra/src/my brokers.ts", line: 7 });
            assert.deepStrictEqual(parseSourcePosition("project:///../lib/mq.ts#3", "infra"), { file: "lib/mq.ts", line: 3 });
            for (const bad of ["project:///../x.ts#1", "project:///index.ts", "project:///index.ts#0", "project:///index.ts#1,x",
                "project://host/index.ts#1", "file:///index.ts#1", "project:///a%1B[2J.ts#1", "project:///a%E2%80%AE.ts#1",
                "project:///a\\b.ts#1", "project:///a//b.ts#1", "project:///%E0%A4%A.ts#1", `project:///${"a".repeat(2000)}.ts#1`,
                "project:///index.ts#99999999999", "project:///index.ts#1?x"]) {
                assert.strictEqual(parseSourcePosition(bad), undefined, bad);
            }
            assert.strictEqual(normalizeSourceRoot("infra/"), "infra");
            assert.strictEqual(normalizeSourceRoot("."), "");
            for (const bad of ["..", "../x", "/abs", "C:\\x", "a/../../b", "x\u001b"]) {
                assert.strictEqual(normalizeSourceRoot(bad), undefined, bad);
            }
        });
    });

    describe("--format junit", () => {
        it("is well-formed XML", () => {
            assert.deepStrictEqual(xmlErrors(printed.junit), []);
            // The check can fail.
            assert.ok(xmlErrors(printed.junit.replace("</testsuites>", "")).length > 0);
        });

        it("has a test case per Amazon MQ resource and policy, and a failure per violation", () => {
            const brokers = [...report.resourceOrder.values()].filter(r => r.type.startsWith("aws:mq/")).length;
            const enabled = report.info.policies.filter(p => report.config[p.name]?.enforcementLevel !== "disabled").length;
            const testcases = (printed.junit.match(/<testcase /g) ?? []).length;
            assert.ok(testcases >= brokers * enabled, `${testcases} test cases for ${brokers} brokers x ${enabled} policies`);
            assert.strictEqual((printed.junit.match(/<failure /g) ?? []).length, report.findings.length);
            const failing = new Set(report.findings.map(f => `${f.urn}\n${f.policyName}`)).size;
            assert.match(printed.junit, new RegExp(`<testsuites name="aws-mq-guardrails" tests="${testcases}" failures="${failing}"`));
            assert.match(printed.junit, /<testcase classname="aws:mq\/broker:Broker\.secret-a" name="mq-broker-durable-storage" file="infra\/src\/brokers\.ts" line="12">/);
        });
    });

    describe("--format markdown", () => {
        it("counts findings by severity and lists each with its fix", () => {
            const counts = (s: string) => report.findings.filter(f => f.severity === s).length;
            const row = printed.markdown.split("\n").find(l => l.startsWith("| acme/messaging/prod |"))!;
            assert.deepStrictEqual(cells(row).map(c => c.trim()).slice(3, 7), ["critical", "high", "medium", "low"].map(s => String(counts(s))));
            const fix = report.info.policies.find(p => p.name === "mq-broker-durable-storage")!.remediationSteps;
            assert.ok(printed.markdown.includes(markdownText(fix, 2000)), "the fix of a reported policy");
        });

        it("keeps every table row one row of the same cells, whatever the values hold", () => {
            const rows = printed.markdown.split("\n").filter(l => l.startsWith("| ") && !l.startsWith("| Stack") && !l.startsWith("| Level"));
            const findingRows = rows.filter(r => cells(r).length !== 10);
            assert.ok(findingRows.length > 0);
            for (const r of findingRows) {
                assert.strictEqual(cells(r).length, 7, r.slice(0, 300));
            }
            assert.ok(findingRows.length <= MAX_ROWS);
        });

        it("writes user values as text: no link, image, HTML or code span from a crafted value", () => {
            assert.ok(!printed.markdown.includes(MARKDOWN_ATTACK));
            assert.ok(printed.markdown.includes("\\[click me\\](https://evil.example/x)\\<img src=x onerror=alert(1)\\>"));
            const unescaped = printed.markdown.split("\n").filter(l => l.startsWith("| ")).join("\n").replace(/\\\\/g, "")
                .match(/(?<!\\)[<>[\]]/g);
            assert.strictEqual(unescaped, null, "an unescaped < > [ ] in a table row");
        });
    });

    describe("hostile input in the new formats", () => {
        it("prints no value that came from inside a secret", () => {
            for (const [format, text] of Object.entries(printed)) {
                for (const [what, value] of Object.entries(SECRET_VALUES)) {
                    assert.ok(!text.toLowerCase().includes(value.toLowerCase()), `${format} prints the secret ${what}`);
                }
            }
            assert.ok(printed.junit.includes("[secret]") && printed.markdown.includes("\\[secret\\]"));
        });

        it("writes no control character, separator or bidi control from user data", () => {
            for (const format of ["junit", "markdown"]) {
                const match = RAW_CONTROL.exec(printed[format]);
                assert.ok(!match, `${format} writes U+${match?.[0].charCodeAt(0).toString(16)} raw`);
            }
            assert.ok(printed.junit.includes("\\x1B]0;pwned\\x07"), "JUnit shows the escape sequence escaped");
            // Markdown escapes the backslash and the bracket too; it renders as \x1B]0;pwned\x07.
            assert.ok(printed.markdown.includes("\\\\x1B\\]0;pwned\\\\x07"), "Markdown shows the escape sequence escaped");
        });

        it("never starts a line with a GitHub workflow command", () => {
            for (const [format, text] of Object.entries(printed)) {
                const line = text.split("\n").find(l => /^\s*(::|##\[)/.test(l));
                assert.ok(line === undefined, `${format} prints ${JSON.stringify(line)}`);
            }
        });

        it("bounds the echo of a 10 MB value", () => {
            for (const format of ["junit", "markdown"]) {
                assert.ok(printed[format].length < 400_000, `${format} is ${printed[format].length} characters`);
                assert.match(printed[format], /e{100}… \(\d{8} characters\)/, `${format} says how long the value was`);
            }
        });
    });
});

describe("aws-mq-guardrails analyze: several stacks at once", function () {
    this.timeout(180_000);
    const scratch = scratchDir();
    // One pack per policy config and tags for the in-process runs below (cli/main.ts and analyzeMany included).
    const packs = new SharedPacks();
    before(() => packs.install());
    after(async () => {
        await packs.uninstall();
        scratch.cleanup();
    });
    const examples = path.join(__dirname, "..", "..", "examples");

    it("reports them in the order given, whatever finishes first, and the worst exit code", async () => {
        const dir = path.join(scratch.dir, "stacks");
        fs.mkdirSync(dir);
        // Sorted by name: the insecure stack (exit 1) first, then the two compliant ones.
        fs.copyFileSync(path.join(examples, "insecure-stack.json"), path.join(dir, "a-sandbox.json"));
        fs.copyFileSync(path.join(examples, "compliant-activemq-stack.json"), path.join(dir, "b-prod.json"));
        fs.copyFileSync(path.join(examples, "compliant-rabbitmq-stack.json"), path.join(dir, "c-events.json"));
        fs.writeFileSync(path.join(dir, "notes.txt"), "not an export");
        const run = await runMain(["analyze", "--file", dir, "--format", "json"]);
        assert.strictEqual(run.code, 1, run.stderr);
        const json = JSON.parse(run.stdout);
        assert.deepStrictEqual(json.stacks.map((s: any) => `${s.project}/${s.stack}`), ["messaging/sandbox", "messaging/prod", "events/prod"]);
        assert.deepStrictEqual(json.stacks.map((s: any) => s.summary.result), ["fail", "pass", "pass"]);
        assert.strictEqual(json.summary.result, "fail");
        assert.strictEqual(json.summary.failingStacks, 1);
        assert.strictEqual(json.summary.violations, json.stacks.reduce((n: number, s: any) => n + s.violations.length, 0));

        // Given the other way round, with the slow stack last and two at a time: the output follows the arguments.
        const files = ["c-events.json", "b-prod.json", "a-sandbox.json"].map(f => path.join(dir, f));
        const reports = await analyzeMany(files, { stackTags: {}, keepText: true }, 2);
        assert.deepStrictEqual(reports.map(r => r.file), files);
        // The exports' text is let go once the lines of the findings' resources are known; SARIF still points at them.
        assert.ok(reports.every(r => r.text === ""));
        const sandboxRun = (toSarifMany(reports, "0.0.0") as any).runs[2];
        const first = sandboxRun.results[0];
        const fqn = first.locations[0].logicalLocations[0].fullyQualifiedName;
        const line = fs.readFileSync(files[2], "utf8").split("\n").findIndex(l => l.includes(`"urn": ${JSON.stringify(fqn)}`)) + 1;
        assert.ok(line > 1);
        assert.strictEqual(first.locations[0].physicalLocation.region.startLine, line);
        const junit = toJunit(reports);
        assert.deepStrictEqual(xmlErrors(junit), []);
        assert.strictEqual((junit.match(/<testsuite /g) ?? []).length, 3);
        const markdown = toMarkdown(reports);
        assert.deepStrictEqual(markdown.split("\n").filter(l => l.startsWith("### ")), ["### events/prod", "### messaging/prod", "### messaging/sandbox"]);
        // One SARIF run per stack, each its own code-scanning category; the same stack twice gets its file in the category.
        const sarif = toSarifMany([...reports, reports[1]], "0.0.0") as any;
        assert.deepStrictEqual(sarif.runs.map((r: any) => r.automationDetails.id), ["aws-mq-guardrails/events/prod/",
            `aws-mq-guardrails/messaging/prod/${artifactUri(files[1])}/`, "aws-mq-guardrails/messaging/sandbox/",
            `aws-mq-guardrails/messaging/prod/${artifactUri(files[1])}/`]);
    });

    it("judges an export with a shared pack exactly as a pack started for that stack does", async () => {
        const insecure = path.join(examples, "insecure-stack.json");
        const alone = await analyze({ file: insecure, stackTags: { environment: "dev" }, launch: packs.realLaunch });
        // Two exports on one worker: the insecure stack is judged by the pack started for (and used by) the other.
        const [, shared] = await analyzeMany([path.join(examples, "compliant-rabbitmq-stack.json"), insecure], { stackTags: { environment: "dev" } }, 1);
        const strip = (r: AnalysisReport) => r.findings.map(f => ({ ...f }));
        assert.ok(alone.findings.length > 0);
        assert.deepStrictEqual(strip(shared), strip(alone));
        assert.strictEqual(`${shared.project}/${shared.stack}`, "messaging/sandbox");
    });

    it("shares packs only because no policy reads the stack's name, project or organization", () => {
        // If a policy ever does, analyzeMany must start a pack per stack again (a shared pack is told stack/project).
        const root = path.join(__dirname, "..", "..", "policies");
        const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
            e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
        for (const file of sources(root)) {
            // Code only: the text of string literals (fix snippets quote `pulumi.getStack()`) and comments is left out.
            const text = fs.readFileSync(file, "utf8").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, "\"\"")
                .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
            assert.ok(!/\bget(Stack|Project|Organization)\s*\(|PULUMI_(STACK|PROJECT|ORGANIZATION)\b|\.stack(Name)?\b.*runtime/.test(text),
                `${path.relative(root, file)} reads the stack's identity`);
        }
    });

    it("exits 0 when no stack has a mandatory violation, and names the bad file when one is bad", async () => {
        const ok = await runMain(["analyze", "--file", path.join(examples, "compliant-activemq-stack.json"),
            "--file", path.join(examples, "compliant-rabbitmq-stack.json"), "--format", "markdown"]);
        assert.strictEqual(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /\*\*PASS\*\*: 0 violations \(0 mandatory, 0 advisory\) on 0 resources in 2 stacks\./);
        const bad = path.join(scratch.dir, "broken.json");
        fs.writeFileSync(bad, "{\"version\": 3");
        const failed = await runMain(["analyze", "--file", path.join(examples, "compliant-activemq-stack.json"), "--file", bad]);
        assert.strictEqual(failed.code, 2);
        assert.match(failed.stderr, /broken\.json/);
        assert.strictEqual(failed.stdout, "");
    });
});

describe("the built command: the new formats across the process boundary", function () {
    this.timeout(180_000);
    it("writes JUnit for two exports (exit 1) and the compliance matrix with a row per policy the catalogue lists, from dist/", async () => {
        const examples = path.join(__dirname, "..", "..", "examples");
        const [runs, catalogue] = await Promise.all([runAll({
            junit: { args: ["analyze", "--file", path.join(examples, "insecure-stack.json"), "--file", path.join(examples, "compliant-activemq-stack.json"), "--format", "junit"] },
            matrix: { args: ["describe", "--format", "markdown"] },
        }, 2), runMain(["describe", "--format", "json"])]);
        runs.catalogue = catalogue;
        assert.strictEqual(runs.junit.code, 1, runs.junit.stderr);
        assert.deepStrictEqual(xmlErrors(runs.junit.stdout), []);
        assert.strictEqual((runs.junit.stdout.match(/<testsuite /g) ?? []).length, 2);
        assert.strictEqual(runs.matrix.code, 0, runs.matrix.stderr);
        assert.match(runs.matrix.stdout, /^\| Policy \| Security Hub \|/);
        // A row per policy the pack lists (describe --format json, in process: the same pack from dist/).
        assert.strictEqual(runs.catalogue.code, 0, runs.catalogue.stderr);
        const listed = JSON.parse(runs.catalogue.stdout).policies;
        assert.ok(listed.length > 0);
        for (const p of listed) {
            assert.ok(runs.matrix.stdout.includes(`| \`${p.name}\` |`), p.name);
        }
    });
});
