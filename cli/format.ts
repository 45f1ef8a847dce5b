// Human and machine renderings of an analysis and of the catalogue. Text only: never a property value,
// only what the policies wrote (and they never write a secret).
import type { PolicyInfo } from "../engine/session";
import type { AnalyzerInfo } from "../engine/session";
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";
import type { ConfigCheck } from "./catalogue";

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 0, advisory: 1, disabled: 2 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface Summary {
    resources: number;
    analyzedResources: number;
    policies: number;
    violations: number;
    mandatory: number;
    advisory: number;
    resourcesWithViolations: number;
    encryptedSecretsNotJudged: number;
    result: "pass" | "fail";
}

export function summarize(report: AnalysisReport): Summary {
    const mandatory = report.findings.filter(isBlocking).length;
    return {
        resources: report.resourceCount,
        analyzedResources: report.analyzedCount,
        policies: report.info.policies.filter(p => report.config[p.name]?.enforcementLevel !== "disabled").length,
        violations: report.findings.length,
        mandatory,
        advisory: report.findings.length - mandatory,
        resourcesWithViolations: new Set(report.findings.map(f => f.urn)).size,
        encryptedSecretsNotJudged: report.secrets.encrypted,
        result: mandatory > 0 ? "fail" : "pass",
    };
}

function sortedFindings(report: AnalysisReport): Finding[] {
    const position = (f: Finding) => report.resourceOrder.get(f.urn)?.index ?? Number.MAX_SAFE_INTEGER;
    return report.findings
        .map((f, i) => ({ f, i }))
        .sort((a, b) => position(a.f) - position(b.f) ||
            (LEVEL_ORDER[a.f.enforcementLevel] ?? 3) - (LEVEL_ORDER[b.f.enforcementLevel] ?? 3) ||
            (SEVERITY_ORDER[a.f.severity] ?? 4) - (SEVERITY_ORDER[b.f.severity] ?? 4) ||
            a.f.policyName.localeCompare(b.f.policyName) || a.i - b.i)
        .map(({ f }) => f);
}

/** Wraps text to a width, keeping existing line breaks; width 0 means no wrapping. */
function wrap(text: string, width: number): string[] {
    const out: string[] = [];
    for (const paragraph of text.split("\n")) {
        if (width <= 0 || paragraph.length <= width) {
            out.push(paragraph);
            continue;
        }
        let line = "";
        for (const word of paragraph.split(" ")) {
            if (line !== "" && line.length + 1 + word.length > width) {
                out.push(line);
                line = word;
            } else {
                line = line === "" ? word : `${line} ${word}`;
            }
        }
        out.push(line);
    }
    return out;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The table: one block per resource (in the export's order), a row per finding, then the summary. */
export function formatTable(report: AnalysisReport, width = 0): string {
    const lines: string[] = [];
    const findings = sortedFindings(report);
    lines.push(`${report.pack.name} ${report.pack.version}: stack ${report.organization}/${report.project}/${report.stack} ` +
        `from ${report.file}`);
    lines.push("");
    const policyWidth = Math.max(6, ...findings.map(f => f.policyName.length));
    const levelWidth = Math.max(5, ...findings.map(f => f.enforcementLevel.length));
    const severityWidth = 8;
    const indent = 2 + policyWidth + 2 + levelWidth + 2 + severityWidth + 2;
    const messageWidth = width > 0 ? Math.max(40, width - indent) : 0;
    let current: string | undefined;
    for (const f of findings) {
        if (f.urn !== current) {
            if (current !== undefined) {
                lines.push("");
            }
            current = f.urn;
            lines.push(f.urn ? `${f.type} "${f.name}"  ${f.urn}` : `stack ${report.project}/${report.stack}`);
            lines.push(`  ${"POLICY".padEnd(policyWidth)}  ${"LEVEL".padEnd(levelWidth)}  ${"SEVERITY".padEnd(severityWidth)}  MESSAGE`);
        }
        const [first, ...rest] = wrap(f.message, messageWidth);
        lines.push(`  ${f.policyName.padEnd(policyWidth)}  ${f.enforcementLevel.padEnd(levelWidth)}  ` +
            `${(f.severity || "-").padEnd(severityWidth)}  ${first}`);
        for (const line of rest) {
            lines.push(`${" ".repeat(indent)}${line}`);
        }
    }
    if (findings.length > 0) {
        lines.push("");
    } else {
        lines.push("No violations.");
        lines.push("");
    }
    const s = summarize(report);
    lines.push(`${s.result === "fail" ? "FAIL" : "PASS"}: ${plural(s.violations, "violation")} ` +
        `(${s.mandatory} mandatory, ${s.advisory} advisory) on ${plural(s.resourcesWithViolations, "resource")}; ` +
        `${plural(s.policies, "policy").replace(/policys$/, "policies")} over ${plural(s.resources, "resource")} ` +
        `(${s.analyzedResources} analyzed one by one).`);
    if (s.encryptedSecretsNotJudged > 0) {
        lines.push(`Note: ${plural(s.encryptedSecretsNotJudged, "encrypted secret")} in resource inputs could not be judged ` +
            "(the policies see them as unknown values); export with `pulumi stack export --show-secrets` to check " +
            "password strength too. Secret values are never printed.");
    }
    return lines.join("\n") + "\n";
}

export function toJson(report: AnalysisReport, toolVersion: string): object {
    return {
        tool: { name: "aws-mq-guardrails", version: toolVersion },
        policyPack: report.pack,
        file: report.file,
        organization: report.organization,
        project: report.project,
        stack: report.stack,
        summary: summarize(report),
        violations: sortedFindings(report).map(f => ({
            urn: f.urn,
            type: f.type,
            name: f.name,
            policyName: f.policyName,
            enforcementLevel: f.enforcementLevel,
            severity: f.severity,
            description: f.description,
            message: f.message,
        })),
    };
}

function schemaLine(key: string, schema: Record<string, any>): string {
    const type = schema.enum ? `one of ${schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")}`
        : schema.type === "array" && schema.items?.type ? `${schema.items.type}[]` : String(schema.type ?? "any");
    const dflt = schema.default !== undefined ? `  default ${JSON.stringify(schema.default)}` : "";
    return `    ${key} (${type})${dflt}${schema.description ? `\n        ${schema.description}` : ""}`;
}

export function formatCatalogue(info: AnalyzerInfo): string {
    const lines: string[] = [];
    lines.push(`${info.name} ${info.version}: ${plural(info.policies.length, "policy").replace(/policys$/, "policies")}`);
    if (info.description) {
        lines.push(info.description);
    }
    lines.push("");
    const nameWidth = Math.max(6, ...info.policies.map(p => p.name.length));
    lines.push(`${"POLICY".padEnd(nameWidth)}  SEVERITY  LEVEL      DESCRIPTION`);
    for (const p of info.policies) {
        lines.push(`${p.name.padEnd(nameWidth)}  ${(p.severity || "-").padEnd(8)}  ${(p.enforcementLevel || "advisory").padEnd(9)}  ${p.description}`);
    }
    lines.push("");
    lines.push("Settings (in a --policy-pack-config file: {\"<policy>\": {\"enforcementLevel\": ..., \"<setting>\": ...}}; " +
        "every policy also takes exclude and advisoryStackTags):");
    for (const p of info.policies) {
        const own = Object.entries(p.configSchema?.properties ?? {})
            .filter(([key]) => key !== "exclude" && key !== "advisoryStackTags");
        if (own.length === 0) {
            continue;
        }
        lines.push(`  ${p.name}`);
        for (const [key, schema] of own) {
            lines.push(schemaLine(key, schema as Record<string, any>));
        }
    }
    return lines.join("\n") + "\n";
}

export function catalogueJson(info: AnalyzerInfo): object {
    return {
        name: info.name,
        version: info.version,
        description: info.description,
        policies: info.policies.map((p: PolicyInfo) => ({
            name: p.name,
            description: p.description,
            severity: p.severity,
            enforcementLevel: p.enforcementLevel,
            remediationSteps: p.remediationSteps,
            url: p.url,
            tags: p.tags,
            configSchema: p.configSchema ?? null,
        })),
    };
}

export function formatConfigCheck(check: ConfigCheck): { out: string; err: string } {
    const warnings = check.warnings.map(w => `warning: ${w}`);
    if (check.errors.length === 0) {
        return { out: `OK: ${check.file} is a valid policy config for this pack\n`, err: warnings.map(w => w + "\n").join("") };
    }
    const lines = [`${check.file} is not a valid policy config (${plural(check.errors.length, "error")}):`,
        ...check.errors.map(e => `  ${e}`), ...warnings];
    return { out: "", err: lines.join("\n") + "\n" };
}
