// SARIF 2.1.0 for GitHub code scanning: one rule per policy (metadata from GetAnalyzerInfo), one result per
// finding, located in the export file at the resource's entry (GitHub needs region.startLine) and named
// logically by the resource's URN. security-severity maps the policy's severity to GitHub's scale.
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";

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

/** The 1-based line of each URN's own entry (`"urn": "<urn>"`) in the export text; 1 when not found. */
export function urnLines(text: string, urns: Iterable<string>): Map<string, number> {
    const offsets: Array<{ urn: string; offset: number }> = [];
    for (const urn of new Set(urns)) {
        const quoted = JSON.stringify(urn);
        let offset = -1;
        for (const key of [`"urn": ${quoted}`, `"urn":${quoted}`]) {
            offset = text.indexOf(key);
            if (offset >= 0) {
                break;
            }
        }
        offsets.push({ urn, offset });
    }
    offsets.sort((a, b) => a.offset - b.offset);
    const lines = new Map<string, number>();
    let line = 1;
    let position = 0;
    for (const { urn, offset } of offsets) {
        if (offset < 0) {
            lines.set(urn, 1);
            continue;
        }
        for (let i = text.indexOf("\n", position); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
            line++;
            position = i + 1;
        }
        lines.set(urn, line);
    }
    return lines;
}

export function toSarif(report: AnalysisReport, toolVersion: string): object {
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
    const lines = urnLines(report.text, report.findings.map(f => f.urn).filter(u => u !== ""));
    const seen = new Map<string, number>();
    const results = report.findings.map((f: Finding) => {
        // The n-th finding of a policy on a resource (a policy may report several, in a stable order).
        const key = `${f.policyName}\n${f.urn}`;
        const ordinal = (seen.get(key) ?? 0) + 1;
        seen.set(key, ordinal);
        const result: Record<string, unknown> = {
            ruleId: f.policyName,
            level: isBlocking(f) ? "error" : LEVEL[f.enforcementLevel] ?? "warning",
            message: { text: f.message },
            locations: [{
                physicalLocation: {
                    artifactLocation: { uri },
                    region: { startLine: lines.get(f.urn) ?? 1 },
                },
                logicalLocations: [{
                    name: f.name || f.urn || report.stack,
                    fullyQualifiedName: f.urn || `stack ${report.project}/${report.stack}`,
                    kind: "resource",
                }],
            }],
            // Stable across runs whatever file or line the export is read from: GitHub keeps one alert per
            // policy and resource instead of computing fingerprints from a file it may not have.
            partialFingerprints: { "policyResource/v1": fingerprint(key, ordinal) },
            properties: { enforcementLevel: f.enforcementLevel, severity: f.severity, resourceType: f.type },
        };
        const index = ruleIndex.get(f.policyName);
        if (index !== undefined) {
            result.ruleIndex = index;
        }
        return result;
    });
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
            automationDetails: { id: `aws-mq-guardrails/${report.project}/${report.stack}/` },
            invocations: [{ executionSuccessful: true }],
            results,
        }],
    };
}

/** A hash of the policy, the resource URN and the finding's ordinal among that policy's findings on it. */
function fingerprint(policyAndUrn: string, ordinal: number): string {
    return createHash("sha256").update(`${policyAndUrn}\n${ordinal}`).digest("hex").slice(0, 32);
}
