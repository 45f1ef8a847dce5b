// A Markdown summary for a pull-request comment or a CI job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab and
// Azure DevOps render the same GitHub-flavoured Markdown): the result, counts by severity, then a table of
// findings, each with its fix; for several stacks, one summary table and a section per stack.
//
// User values (names, URNs, types, messages that quote the stack) are hostile: control, bidi and separator
// characters become visible `\x1B` text, line breaks become spaces (a table row is one line), values are
// bounded, and every character Markdown or HTML reads as markup (\ ` * _ [ ] < > | ~ & #) is escaped with a
// backslash, so a crafted name cannot make a link, an image, raw HTML or a new table cell. A bare URL in a
// message may still be shown as a link by GitHub (autolinks): its text is the URL itself, nothing hidden.
// At most MAX_ROWS findings are listed per stack (a GitHub comment holds 65,536 characters); the counts cover all.
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";
import { exemptionsOfReport } from "./exemptions";
import { exemptionState, MAX_REASON, plural, sortedFindings, summarize } from "./format";
import { fixOf, stackLabel } from "./report";
import { sourceText } from "./source";
import { MAX_MESSAGE, MAX_NAME, MAX_URN, neutralizeWorkflowCommands, terminalText } from "./text";

/** Findings listed per stack; the rest are counted. */
export const MAX_ROWS = 100;

const SEVERITIES = ["critical", "high", "medium", "low"];

/** A user value as Markdown text: escaped for the terminal, one line, bounded, markup characters escaped. */
export function markdownText(value: string, max: number): string {
    return terminalText(String(value), max, { multiline: true })
        .replace(/\s*\n\s*/g, " ")
        .replace(/[\\`*_[\]<>|~&#]/g, c => `\\${c}`);
}

function severityCounts(findings: Finding[]): Record<string, number> {
    const counts: Record<string, number> = Object.fromEntries(SEVERITIES.map(s => [s, 0]));
    for (const f of findings) {
        const key = SEVERITIES.includes(f.severity) ? f.severity : "other";
        counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
}

function findingsTable(report: AnalysisReport): string[] {
    const findings = sortedFindings(report);
    if (findings.length === 0) {
        return ["No violations."];
    }
    const fixes = fixOf(report);
    const lines = ["| Level | Severity | Policy | Resource | Declared at | Finding | Fix |", "|---|---|---|---|---|---|---|"];
    for (const f of findings.slice(0, MAX_ROWS)) {
        const resource = f.urn ? `${markdownText(f.type, MAX_NAME)} ${markdownText(f.name, MAX_NAME)}` : "the stack";
        lines.push(`| ${markdownText(f.enforcementLevel, MAX_NAME)} | ${markdownText(f.severity || "-", MAX_NAME)} | ` +
            `${markdownText(f.policyName, MAX_NAME)} | ${resource} | ${f.source ? markdownText(sourceText(f.source), MAX_URN) : "-"} | ` +
            `${markdownText(f.message, MAX_MESSAGE)} | ${markdownText(fixes.get(f.policyName) ?? "-", MAX_MESSAGE)} |`);
    }
    if (findings.length > MAX_ROWS) {
        lines.push("", `…and ${findings.length - MAX_ROWS} more findings (see \`--format json\`).`);
    }
    return lines;
}

/** The resources each policy's exemptions name: a separate list after the findings, at most MAX_ROWS. */
function exemptedList(report: AnalysisReport): string[] {
    const exempted = exemptionsOfReport(report);
    if (exempted.length === 0) {
        return [];
    }
    const lines = ["", `**Exempted** (${exempted.length}; valid and expiring ones were not judged by that policy):`, ""];
    for (const e of exempted.slice(0, MAX_ROWS)) {
        lines.push(`- ${markdownText(e.policy, MAX_NAME)} on ${markdownText(e.type, MAX_NAME)} ${markdownText(e.name, MAX_NAME)}: ` +
            `${exemptionState(e)}${e.status === "expired" ? " (its violation is listed above)" : ""}; reason: ${markdownText(e.reason, MAX_REASON)}`);
    }
    if (exempted.length > MAX_ROWS) {
        lines.push(`- …and ${exempted.length - MAX_ROWS} more (see \`--format json\`).`);
    }
    return lines;
}

function resultLine(reports: AnalysisReport[]): string {
    const findings = reports.flatMap(r => r.findings);
    const mandatory = findings.filter(isBlocking).length;
    const resources = reports.reduce((n, r) => n + new Set(r.findings.map(f => f.urn)).size, 0);
    return `**${mandatory > 0 ? "FAIL" : "PASS"}**: ${plural(findings.length, "violation")} (${mandatory} mandatory, ` +
        `${findings.length - mandatory} advisory) on ${plural(resources, "resource")}` +
        (reports.length > 1 ? ` in ${plural(reports.length, "stack")}.` : ".");
}

function countsTable(reports: AnalysisReport[]): string[] {
    const rows = reports.map(r => {
        const counts = severityCounts(r.findings);
        const s = summarize(r);
        return `| ${markdownText(stackLabel(r), MAX_URN)} | ${markdownText(r.file, MAX_URN)} | ${s.result === "fail" ? "FAIL" : "PASS"} | ` +
            `${SEVERITIES.map(k => counts[k]).join(" | ")} | ${counts.other ?? 0} | ${s.mandatory} | ${s.advisory} |`;
    });
    return ["| Stack | Export | Result | Critical | High | Medium | Low | Other | Mandatory | Advisory |",
        "|---|---|---|---|---|---|---|---|---|---|", ...rows];
}

function notes(report: AnalysisReport): string[] {
    const s = summarize(report);
    const out: string[] = [];
    if ((report.skipped ?? []).length > 0) {
        out.push(`- ${plural(report.skipped.length, "resource")} set aside, not judged (see \`--format json\`).`);
    }
    if (s.redactedSecretValues > 0) {
        out.push(`- Values from inside Pulumi secrets are shown as \\[secret\\].`);
    }
    if (s.encryptedSecretsNotJudged > 0) {
        out.push(`- ${plural(s.encryptedSecretsNotJudged, "encrypted secret")} could not be judged (export with ` +
            "`pulumi stack export --show-secrets` to check password strength too).");
    }
    return out;
}

/** The Markdown summary of one or several stacks. */
export function toMarkdown(reports: AnalysisReport[]): string {
    const lines = ["## aws-mq-guardrails", "", resultLine(reports), "", ...countsTable(reports)];
    for (const report of reports) {
        const s = summarize(report);
        lines.push("", `### ${markdownText(stackLabel(report), MAX_URN)}`, "",
            `${s.result === "fail" ? "FAIL" : "PASS"}: ${plural(s.violations, "violation")} on ` +
            `${plural(s.resourcesWithViolations, "resource")}; ${plural(s.policies, "policy")} checked ` +
            `${plural(s.resources, "resource")} from ${markdownText(report.file, MAX_URN)}.`, "",
            ...findingsTable(report), ...exemptedList(report));
        const extra = notes(report);
        if (extra.length > 0) {
            lines.push("", ...extra);
        }
    }
    return neutralizeWorkflowCommands(lines.join("\n")) + "\n";
}
