// Output at organization scale, in process: a report of a 15,000-broker insecure stack (generated as the pack
// reports such a stack: every broker breaking a dozen rules) formatted in every format. The table once
// crashed above ~125,000 findings (a spread into Math.max); SARIF must stay within GitHub's 25,000 results.
import * as assert from "assert";
import type { AnalysisReport, Finding } from "../../cli/analyze";
import { formatTable, summarize, toJson } from "../../cli/format";
import { toJunit } from "../../cli/junit";
import { MAX_ROWS, toMarkdown } from "../../cli/markdown";
import { MAX_SARIF_RESULTS, toSarif } from "../../cli/sarif";
import { safeJson } from "../../cli/text";
import type { AnalyzerInfo, PolicyInfo } from "../../engine/session";
import { policies } from "../../policies";
import { urn } from "./hostile";
import { cpuMilliseconds } from "../support/growth";

const info: AnalyzerInfo = {
    name: "aws-mq-guardrails",
    version: "0.1.0",
    policies: policies.map(p => ({
        name: p.name, description: p.description, severity: p.severity ?? "medium", enforcementLevel: p.enforcementLevel ?? "advisory",
        remediationSteps: p.remediationSteps ?? "", url: p.url ?? "", tags: p.tags ?? [], configSchema: p.configSchema,
    }) as unknown as PolicyInfo),
} as unknown as AnalyzerInfo;

/** A report of `brokers` brokers, each with `perBroker` findings spread over the pack's policies. */
function generatedReport(brokers: number, perBroker: number): AnalysisReport {
    const findings: Finding[] = [];
    const resourceOrder: AnalysisReport["resourceOrder"] = new Map();
    for (let i = 0; i < brokers; i++) {
        const name = `orders-${i}`;
        const id = urn("aws:mq/broker:Broker", name);
        resourceOrder.set(id, { type: "aws:mq/broker:Broker", name, index: i });
        for (let k = 0; k < perBroker; k++) {
            const policy = info.policies[k % info.policies.length];
            findings.push({
                urn: id, type: "aws:mq/broker:Broker", name, policyName: policy.name,
                enforcementLevel: k % 5 === 4 ? "advisory" : "mandatory", severity: policy.severity, description: policy.description,
                message: `finding ${k} of broker ${name}: publiclyAccessible is true; set publiclyAccessible: false`,
            });
        }
    }
    return {
        file: "stack.json", stack: "prod", project: "messaging", organization: undefined, pack: { name: info.name, version: info.version },
        info, config: {}, resourceCount: brokers, analyzedCount: brokers, resourceOrder, findings,
        secrets: { encrypted: 0, plaintext: 0 }, redactedValues: 0, skipped: [], text: "",
    };
}

describe("aws-mq-guardrails output for a 15,000-broker insecure stack", function () {
    this.timeout(120_000);
    const report = generatedReport(15_000, 12);

    it("prints the table of 180,000 findings (once a stack overflow) with the right summary", () => {
        const table = formatTable(report);
        const s = summarize(report);
        assert.strictEqual(s.violations, 180_000);
        assert.match(table, /^FAIL: 180000 violations \(\d+ mandatory, \d+ advisory\) on 15000 resources\. \d+ policies checked 15000 resources\.$/m);
        assert.ok(table.includes("orders-14999"));
    });

    it("writes JUnit with a failure per finding and a test case per broker and policy, in seconds", () => {
        // CPU time of this process, not wall time: the other mocha worker and the machine's load cannot inflate it.
        const { ms, result: junit } = cpuMilliseconds(() => toJunit([report]));
        assert.ok(ms < 20_000, `${ms.toFixed(0)} ms of CPU`);
        assert.strictEqual((junit.match(/<failure /g) ?? []).length, 180_000);
        assert.strictEqual((junit.match(/<testcase /g) ?? []).length, 15_000 * info.policies.length);
    });

    it("keeps the Markdown summary to MAX_ROWS findings, with counts over all of them", () => {
        const markdown = toMarkdown([report]);
        assert.strictEqual(markdown.split("\n").filter(l => l.startsWith("| finding") || / \| finding \d+ of broker /.test(l)).length, MAX_ROWS);
        assert.match(markdown, /…and 179900 more findings/);
        assert.match(markdown, /\*\*FAIL\*\*: 180000 violations/);
        assert.ok(markdown.length < 200_000, `${markdown.length} characters`);
    });

    it("writes every finding to JSON", () => {
        const json = JSON.parse(safeJson(toJson(report, "0.1.0")));
        assert.strictEqual(json.violations.length, 180_000);
        assert.strictEqual(json.summary.violations, 180_000);
    });

    it("keeps SARIF within GitHub's 25,000 results per run, most severe first, and says so", () => {
        const notes: string[] = [];
        const sarif = JSON.parse(safeJson(toSarif(report, "0.1.0", notes))) as any;
        const run = sarif.runs[0];
        assert.strictEqual(run.results.length, MAX_SARIF_RESULTS);
        assert.strictEqual(notes.length, 1);
        assert.match(notes[0], /180000 findings are more than the 25000 results GitHub code scanning accepts/);
        assert.match(notes[0], /left out/);
        assert.deepStrictEqual(run.invocations[0].toolExecutionNotifications.map((n: any) => n.message.text), notes);
        assert.ok(run.results.every((r: any) => r.level === "error"), "mandatory findings are kept before advisory ones");
        const prints = new Set(run.results.map((r: any) => r.partialFingerprints["policyResource/v1"]));
        assert.strictEqual(prints.size, run.results.length);
    });

    it("aggregates SARIF per policy and resource when that is enough", () => {
        // 1,000 brokers with 30 findings each over the pack's policies: 30,000 findings, one result per policy and broker.
        const notes: string[] = [];
        const sarif = toSarif(generatedReport(1_000, 30), "0.1.0", notes) as any;
        const results = sarif.runs[0].results;
        assert.strictEqual(results.length, 1_000 * info.policies.length);
        assert.ok(notes[0].includes(`one result per policy and resource (${1_000 * info.policies.length})`), notes[0]);
        assert.ok(!/left out/.test(notes[0]));
        const aggregated = results.find((r: any) => r.properties.findings === 2);
        assert.match(aggregated.message.text, /^2 findings of this policy on this resource; the first: finding \d+ of broker/);
    });

    it("writes SARIF with every finding when under the limit, and no note", () => {
        const notes: string[] = [];
        const sarif = toSarif(generatedReport(2_000, 12), "0.1.0", notes) as any;
        assert.strictEqual(sarif.runs[0].results.length, 24_000);
        assert.deepStrictEqual(notes, []);
        assert.strictEqual(sarif.runs[0].invocations[0].toolExecutionNotifications, undefined);
    });
});
