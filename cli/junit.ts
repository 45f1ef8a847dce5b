// JUnit XML for the test-report views of GitLab, Jenkins and Azure DevOps: a test suite per stack, a test case
// per resource and policy, a <failure> per violation.
//
// Which pairs: every Amazon MQ resource (type aws:mq/...) times every policy that is not disabled, so a report
// shows what passed as well as what failed (a passing case means the policy reported nothing on the resource,
// including a policy that does not judge that type); another resource with findings (a security group a stack
// policy names) times the policies that reported on it; in the export's order. Findings on no resource of the
// export are cases of the stack itself.
//
// Every value from the stack is hostile: escaped for the terminal first (control, bidi and separator
// characters become visible `\x1B` text, so none reaches the XML raw: most are not even legal XML 1.0), bounded,
// then XML-escaped (& < > " '); the whole document never starts a line with a GitHub workflow command. Secret
// values were replaced by [secret] before (cli/analyze.ts).
//
// A resource and policy an exemption holds for (cli/exemptions.ts) is a <skipped> case with the reason and the
// expiry; its advisory "exemption expires on" notice is said in that skip, not counted as a failure.
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";
import { exemptionsOfReport, ExemptedResource } from "./exemptions";
import { exemptionState, MAX_REASON } from "./format";
import { fixOf, stackLabel } from "./report";
import { sourceText } from "./source";
import { MAX_MESSAGE, MAX_NAME, MAX_URN, neutralizeWorkflowCommands, terminalText } from "./text";

/** Text for XML: escaped for a terminal (no control character stays), bounded, then the XML specials escaped. */
export function xmlText(value: string, max: number, options: { multiline?: boolean } = {}): string {
    return terminalText(String(value), max, options)
        .replace(/[\ufffe\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

interface Case {
    classname: string;
    name: string;
    file?: string;
    line?: number;
    failures: Finding[];
    skipped?: ExemptedResource;
}

/** The pack's advisory notice that an exemption is about to expire (policies/lib/exemptions.ts). */
function isExpiryNotice(f: Finding): boolean {
    return f.enforcementLevel === "advisory" && f.message.startsWith("exemption expires on ");
}

function casesOf(report: AnalysisReport): Case[] {
    const policies = report.info.policies.filter(p => report.config[p.name]?.enforcementLevel !== "disabled").map(p => p.name);
    const byResource = new Map<string, Finding[]>();
    for (const f of report.findings) {
        const list = byResource.get(f.urn);
        if (list) {
            list.push(f);
        } else {
            byResource.set(f.urn, [f]);
        }
    }
    const resources = [...report.resourceOrder.entries()]
        .filter(([urn, r]) => r.type.startsWith("aws:mq/") || byResource.has(urn))
        .sort((a, b) => a[1].index - b[1].index);
    const held = new Map(exemptionsOfReport(report).filter(e => e.status !== "expired").map(e => [`${e.policy}\n${e.urn}`, e]));
    const cases: Case[] = [];
    const add = (urn: string, type: string, name: string, findings: Finding[], names: string[]) => {
        const location = report.sourceLocations?.get(urn) ?? findings.find(f => f.source)?.source;
        for (const policy of names) {
            const skipped = held.get(`${policy}\n${urn}`);
            cases.push({
                classname: urn ? `${type}.${name}` : `stack ${report.project}/${report.stack}`,
                name: policy,
                ...(location ? { file: location.file, line: location.line } : {}),
                failures: findings.filter(f => f.policyName === policy && !(skipped && isExpiryNotice(f))),
                ...(skipped ? { skipped } : {}),
            });
        }
    };
    for (const [urn, r] of resources) {
        const findings = byResource.get(urn) ?? [];
        // An Amazon MQ resource: every policy (one the config disabled cannot report; one that reported anyway is
        // still shown). Another resource with findings (a security group a stack policy names): the policies that reported.
        const reported = [...new Set(findings.map(f => f.policyName))];
        const names = r.type.startsWith("aws:mq/") ? [...policies, ...reported.filter(p => !policies.includes(p))] : reported;
        add(urn, r.type, r.name, findings, names);
    }
    // Findings on URNs outside the export's resources (the stack as a whole, or an unknown URN).
    for (const [urn, findings] of byResource) {
        if (!report.resourceOrder.has(urn)) {
            add(urn, findings[0].type, findings[0].name, findings, [...new Set(findings.map(f => f.policyName))]);
        }
    }
    return cases;
}

function failureXml(f: Finding, fix: string | undefined): string {
    const body = [f.message, ...(fix ? [`fix: ${fix}`] : []), ...(f.urn ? [`resource: ${f.urn}`] : []),
        ...(f.source ? [`declared at: ${sourceText(f.source)}`] : [])].join("\n");
    return `      <failure type="${xmlText(f.enforcementLevel, MAX_NAME)}" message="${xmlText(`${f.severity || "-"}: ${f.message}`, MAX_MESSAGE)}">` +
        `${xmlText(body, MAX_MESSAGE * 2, { multiline: true })}</failure>`;
}

function suiteXml(report: AnalysisReport): { lines: string[]; tests: number; failures: number } {
    const cases = casesOf(report);
    const fixes = fixOf(report);
    const failures = cases.filter(c => c.failures.length > 0).length;
    const skipped = cases.filter(c => c.skipped && c.failures.length === 0).length;
    const lines = [`  <testsuite name="${xmlText(stackLabel(report), MAX_URN)}" tests="${cases.length}" failures="${failures}" ` +
        `errors="0" skipped="${skipped}">`];
    lines.push("    <properties>");
    lines.push(`      <property name="file" value="${xmlText(report.file, MAX_URN)}"/>`);
    lines.push(`      <property name="policyPack" value="${xmlText(`${report.pack.name} ${report.pack.version}`, MAX_NAME)}"/>`);
    lines.push(`      <property name="result" value="${report.findings.some(isBlocking) ? "fail" : "pass"}"/>`);
    lines.push("    </properties>");
    for (const c of cases) {
        const where = c.file ? ` file="${xmlText(c.file, MAX_URN)}" line="${c.line}"` : "";
        const open = `    <testcase classname="${xmlText(c.classname, MAX_URN)}" name="${xmlText(c.name, MAX_NAME)}"${where}`;
        if (c.skipped && c.failures.length === 0) {
            const e = c.skipped;
            lines.push(`${open}>`);
            lines.push(`      <skipped message="${xmlText(`${exemptionState(e)}: ${e.reason}`, MAX_REASON + 40)}"/>`);
            lines.push("    </testcase>");
            continue;
        }
        if (c.failures.length === 0) {
            lines.push(`${open}/>`);
            continue;
        }
        lines.push(`${open}>`);
        for (const f of c.failures) {
            lines.push(failureXml(f, fixes.get(f.policyName)));
        }
        lines.push("    </testcase>");
    }
    lines.push("  </testsuite>");
    return { lines, tests: cases.length, failures };
}

/** JUnit XML for one or several stacks. */
export function toJunit(reports: AnalysisReport[]): string {
    const suites = reports.map(suiteXml);
    const tests = suites.reduce((n, s) => n + s.tests, 0);
    const failures = suites.reduce((n, s) => n + s.failures, 0);
    const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="aws-mq-guardrails" tests="${tests}" failures="${failures}" errors="0">`,
        ...suites.flatMap(s => s.lines),
        "</testsuites>",
    ];
    return neutralizeWorkflowCommands(lines.join("\n")) + "\n";
}
