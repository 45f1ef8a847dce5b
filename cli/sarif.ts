// SARIF 2.1.0 for GitHub code scanning: one rule per policy (metadata from GetAnalyzerInfo), one result per
// finding, located at the program line that declares the resource when the export recorded its
// sourcePosition (cli/source.ts), otherwise in the export file at the resource's entry (GitHub needs
// region.startLine), and named logically by the resource's URN. security-severity maps the policy's severity to GitHub's scale.
//
// GitHub rejects a run with more than 25,000 results
// (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning,
// "Validating your SARIF file", read 2026-12-03). Over that, the findings are aggregated per policy and
// resource (one result each, saying how many there were); if that is still too many, the most severe are kept.
// Either way the run carries a notification and the caller gets a note for stderr.
// message.text is rendered by GitHub: user text in it is escaped (cli/text.ts sarifText), and bounded.
//
// Exemptions (cli/exemptions.ts): a resource and policy an exemption holds for is a result carrying
// `suppressions: [{kind: "external", status: "accepted", justification: <reason>}]`, which GitHub code scanning
// shows as dismissed; it has the fingerprint the policy's first finding on that resource would have, so the
// alert is the same one. Its advisory "exemption expires on" notice is said in that result, not as another.
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";
import { exemptionsOfReport } from "./exemptions";
import { exemptionState, MAX_REASON } from "./format";
import { urnLines } from "./locate";
import { boundedText, MAX_MESSAGE, MAX_NAME, MAX_URN, sarifText } from "./text";

/** GitHub code scanning's limit of results per run. */
export const MAX_SARIF_RESULTS = 25_000;

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const LEVEL: Record<string, string> = { mandatory: "error", remediate: "error", advisory: "warning", disabled: "none" };

/** The export's path as a SARIF artifact URI: relative to the working directory (the repository) when inside it. */
export function artifactUri(file: string): string {
    if (file === "-") {
        return "stdin";
    }
    const absolute = path.resolve(file);
    const relative = path.relative(process.cwd(), absolute);
    if (relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative)) {
        return relative.split(path.sep).map(encodeURIComponent).join("/");
    }
    return pathToFileURL(absolute).href;
}

export { urnLines } from "./locate";

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** One result's worth of findings: a single finding, or all of a policy's findings on one resource. */
interface Entry {
    finding: Finding;
    key: string;
    ordinal: number;
    count: number;
    blocking: boolean;
}

/** The findings as results: one each, or aggregated per policy and resource, capped at MAX_SARIF_RESULTS. */
function entries(findings: Finding[], notes: string[]): Entry[] {
    const seen = new Map<string, number>();
    const single = findings.map(f => {
        // The n-th finding of a policy on a resource (a policy may report several, in a stable order).
        const key = `${f.policyName}\n${f.urn}`;
        const ordinal = (seen.get(key) ?? 0) + 1;
        seen.set(key, ordinal);
        return { finding: f, key, ordinal, count: 1, blocking: isBlocking(f) };
    });
    if (single.length <= MAX_SARIF_RESULTS) {
        return single;
    }
    const groups = new Map<string, Entry>();
    for (const e of single) {
        const group = groups.get(e.key);
        if (!group) {
            groups.set(e.key, { ...e, ordinal: 1 });
        } else {
            group.count++;
            group.blocking = group.blocking || e.blocking;
        }
    }
    let result = [...groups.values()];
    let note = `${single.length} findings are more than the ${MAX_SARIF_RESULTS} results GitHub code scanning accepts in ` +
        `one run: the SARIF has one result per policy and resource (${result.length})`;
    if (result.length > MAX_SARIF_RESULTS) {
        const rank = (e: Entry) => (e.blocking ? 0 : 10) + (SEVERITY_RANK[e.finding.severity] ?? 4);
        result = result.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
            .slice(0, MAX_SARIF_RESULTS).sort((a, b) => a.i - b.i).map(({ e }) => e);
        const kept = result.reduce((n, e) => n + e.count, 0);
        note += `, of which the ${MAX_SARIF_RESULTS} most severe are kept (${single.length - kept} findings left out)`;
    }
    notes.push(`${note}; use --format json or table for every finding`);
    return result;
}

/**
 * SARIF 2.1.0 for the report. Notes about what the SARIF leaves out (over GitHub's limits) are pushed to
 * `notes`, for stderr.
 */
export function toSarif(report: AnalysisReport, toolVersion: string, notes: string[] = []): object {
    const rules = report.info.policies.map(p => {
        const severity = SECURITY_SEVERITY[p.severity];
        const rule: Record<string, unknown> = {
            id: p.name,
            name: p.name,
            shortDescription: { text: p.description },
            fullDescription: { text: p.description },
            help: { text: p.remediationSteps || p.description, markdown: p.remediationSteps || p.description },
            defaultConfiguration: { level: LEVEL[report.config[p.name]?.enforcementLevel ?? p.enforcementLevel] ?? "warning" },
            properties: {
                tags: ["security", ...p.tags],
                ...(severity ? { "security-severity": severity } : {}),
                precision: "very-high",
            },
        };
        if (p.url) {
            rule.helpUri = p.url;
        }
        return rule;
    });
    const ruleIndex = new Map(rules.map((r, i) => [r.id as string, i]));
    const uri = artifactUri(report.file);
    const lines = report.exportLines ?? urnLines(report.text, report.findings.filter(f => f.urn !== "" && !f.source).map(f => f.urn));
    const ownNotes: string[] = [];
    const held = exemptionsOfReport(report).filter(e => e.status !== "expired");
    const heldKeys = new Set(held.map(e => `${e.policy}\n${e.urn}`));
    const isNotice = (f: Finding) => f.enforcementLevel === "advisory" && f.message.startsWith("exemption expires on ") &&
        heldKeys.has(`${f.policyName}\n${f.urn}`);
    const kept = entries(heldKeys.size > 0 ? report.findings.filter(f => !isNotice(f)) : report.findings, ownNotes);
    notes.push(...ownNotes);
    const stackName = `stack ${boundedText(report.project, MAX_NAME)}/${boundedText(report.stack, MAX_NAME)}`;
    const results = kept.map(({ finding: f, key, ordinal, count, blocking }) => {
        const message = boundedText(f.message, MAX_MESSAGE);
        const result: Record<string, unknown> = {
            ruleId: f.policyName,
            level: blocking ? "error" : LEVEL[f.enforcementLevel] ?? "warning",
            message: { text: sarifText(count > 1 ? `${count} findings of this policy on this resource; the first: ${message}` : message) },
            locations: [{
                // The program line that declares the resource when the export recorded it (GitHub annotates that
                // line of a pull request); otherwise the resource's entry in the export.
                physicalLocation: f.source ? {
                    artifactLocation: { uri: f.source.file.split("/").map(encodeURIComponent).join("/") },
                    region: { startLine: f.source.line, ...(f.source.column ? { startColumn: f.source.column } : {}) },
                } : {
                    artifactLocation: { uri },
                    region: { startLine: lines.get(f.urn) ?? 1 },
                },
                logicalLocations: [{
                    name: boundedText(f.name || f.urn || report.stack, MAX_NAME),
                    fullyQualifiedName: f.urn ? boundedText(f.urn, MAX_URN) : stackName,
                    kind: "resource",
                }],
            }],
            // Stable across runs whatever file or line the export is read from: GitHub keeps one alert per
            // policy and resource instead of computing fingerprints from a file it may not have.
            partialFingerprints: { "policyResource/v1": fingerprint(key, ordinal) },
            properties: {
                enforcementLevel: f.enforcementLevel, severity: f.severity, resourceType: boundedText(f.type, MAX_NAME),
                ...(count > 1 ? { findings: count } : {}),
            },
        };
        const index = ruleIndex.get(f.policyName);
        if (index !== undefined) {
            result.ruleIndex = index;
        }
        return result;
    });
    const room = Math.max(0, MAX_SARIF_RESULTS - results.length);
    if (held.length > room) {
        const note = `${held.length - room} exempted resources are not in the SARIF (over the ${MAX_SARIF_RESULTS} results ` +
            "GitHub code scanning accepts); use --format json for every exemption";
        ownNotes.push(note);
        notes.push(note);
    }
    for (const e of held.slice(0, room)) {
        const source = report.sourceLocations?.get(e.urn);
        const policy = report.info.policies.find(p => p.name === e.policy);
        const level = report.config[e.policy]?.enforcementLevel ?? policy?.enforcementLevel ?? "advisory";
        const reason = boundedText(e.reason, MAX_REASON);
        const result: Record<string, unknown> = {
            ruleId: e.policy,
            level: LEVEL[level] ?? "warning",
            message: { text: sarifText(`${exemptionState(e)}: ${reason}`) },
            locations: [{
                physicalLocation: source ? {
                    artifactLocation: { uri: source.file.split("/").map(encodeURIComponent).join("/") },
                    region: { startLine: source.line, ...(source.column ? { startColumn: source.column } : {}) },
                } : {
                    artifactLocation: { uri },
                    region: { startLine: lines.get(e.urn) ?? 1 },
                },
                logicalLocations: [{ name: boundedText(e.name || e.urn, MAX_NAME), fullyQualifiedName: boundedText(e.urn, MAX_URN), kind: "resource" }],
            }],
            partialFingerprints: { "policyResource/v1": fingerprint(`${e.policy}\n${e.urn}`, 1) },
            suppressions: [{ kind: "external", status: "accepted", justification: reason }],
            properties: {
                exemption: { expires: e.expires, status: e.status },
                enforcementLevel: level, severity: policy?.severity ?? "", resourceType: boundedText(e.type, MAX_NAME),
            },
        };
        const index = ruleIndex.get(e.policy);
        if (index !== undefined) {
            result.ruleIndex = index;
        }
        results.push(result);
    }
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: {
                driver: {
                    name: "aws-mq-guardrails",
                    version: toolVersion,
                    semanticVersion: toolVersion,
                    rules,
                },
            },
            // One code-scanning category per stack, so several stacks can be uploaded side by side.
            automationDetails: { id: `aws-mq-guardrails/${boundedText(report.project, MAX_NAME)}/${boundedText(report.stack, MAX_NAME)}/` },
            invocations: [{
                executionSuccessful: true,
                ...(ownNotes.length > 0 ? {
                    toolExecutionNotifications: ownNotes.map(text => ({ level: "warning", message: { text } })),
                } : {}),
            }],
            results,
        }],
    };
}

/** A hash of the policy, the resource URN and the finding's ordinal among that policy's findings on it. */
function fingerprint(policyAndUrn: string, ordinal: number): string {
    return createHash("sha256").update(`${policyAndUrn}\n${ordinal}`).digest("hex").slice(0, 32);
}

/**
 * Several stacks as one SARIF log: a run per stack, each with its own automationDetails.id (the code-scanning
 * category `aws-mq-guardrails/<project>/<stack>/`), so each stack keeps its own alerts. Exports of the same
 * project and stack (which would share a category, refused in one upload) each get their file in the category.
 */
export function toSarifMany(reports: AnalysisReport[], toolVersion: string, notes: string[] = []): object {
    const runs = reports.map(r => (toSarif(r, toolVersion, notes) as { runs: Array<{ automationDetails: { id: string } }> }).runs[0]);
    // The same stack in two exports: each such run's category also names its export file (stable across runs).
    const ids = runs.map(run => run.automationDetails.id);
    runs.forEach((run, i) => {
        if (ids.indexOf(ids[i]) !== ids.lastIndexOf(ids[i])) {
            run.automationDetails.id = `${ids[i]}${boundedText(artifactUri(reports[i].file), MAX_URN)}/`;
        }
    });
    return { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs };
}
