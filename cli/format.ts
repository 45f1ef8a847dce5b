// Human and machine renderings of an analysis and of the catalogue. Messages are what the policies wrote,
// with every value from inside a secret already replaced (cli/analyze.ts). Everything that came from the
// stack (types, names, URNs, messages) is escaped and bounded for the terminal here (cli/text.ts), and
// bounded in JSON; main.ts writes JSON with the terminal-active characters escaped.
import type { PolicyInfo } from "../engine/session";
import type { AnalyzerInfo } from "../engine/session";
import type { AnalysisReport, Finding } from "./analyze";
import { isBlocking } from "./analyze";
import type { ConfigCheck } from "./catalogue";
import { exemptionsOfReport, ExemptedResource } from "./exemptions";
import { sourceText } from "./source";
import { boundedText, MAX_MESSAGE, MAX_NAME, MAX_URN, neutralizeWorkflowCommands, terminalText } from "./text";

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 0, advisory: 1, disabled: 2 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface Summary {
    resources: number;
    analyzedResources: number;
    policies: number;
    /** Distinct values from inside secrets, replaced by [secret] wherever a message quoted them. */
    redactedSecretValues: number;
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
        redactedSecretValues: report.redactedValues ?? 0,
        violations: report.findings.length,
        mandatory,
        advisory: report.findings.length - mandatory,
        resourcesWithViolations: new Set(report.findings.map(f => f.urn)).size,
        encryptedSecretsNotJudged: report.secrets.encrypted,
        result: mandatory > 0 ? "fail" : "pass",
    };
}

export function sortedFindings(report: AnalysisReport): Finding[] {
    // Keys computed once per finding (a large stack has hundreds of thousands); policy names are ASCII.
    return report.findings
        .map((f, i) => ({
            f, i,
            position: report.resourceOrder.get(f.urn)?.index ?? Number.MAX_SAFE_INTEGER,
            rank: (LEVEL_ORDER[f.enforcementLevel] ?? 3) * 10 + (SEVERITY_ORDER[f.severity] ?? 4),
        }))
        .sort((a, b) => a.position - b.position || a.rank - b.rank ||
            (a.f.policyName < b.f.policyName ? -1 : a.f.policyName > b.f.policyName ? 1 : 0) || a.i - b.i)
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

export function plural(n: number, word: string): string {
    return n === 1 ? `1 ${word}` : `${n} ${word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

/** The largest length among many values, without spreading them into arguments (which overflows the stack). */
function widest(values: Iterable<string>, least: number): number {
    let width = least;
    for (const value of values) {
        width = Math.max(width, value.length);
    }
    return width;
}

/** A stack-controlled single-line value, for the table. */
function cell(value: string, max = MAX_NAME): string {
    return terminalText(value, max);
}

/** Each policy's fix (its remediation steps), as it appears under its findings. */
function fixes(report: AnalysisReport): Map<string, string> {
    return new Map(report.info.policies.filter(p => p.remediationSteps).map(p => [p.name, p.remediationSteps]));
}

/** The table: one block per resource (in the export's order), a row per finding, then the summary. */
export function formatTable(report: AnalysisReport, width = 0): string {
    const lines: string[] = [];
    const findings = sortedFindings(report);
    const stackName = `${report.organization ? `${cell(report.organization)}/` : ""}${cell(report.project)}/${cell(report.stack)}`;
    lines.push(`${cell(report.pack.name)} ${cell(report.pack.version)}: stack ${stackName} from ${cell(report.file, MAX_URN)}`);
    lines.push("");
    const policyWidth = widest(new Set(findings.map(f => cell(f.policyName))), 6);
    const levelWidth = widest(new Set(findings.map(f => cell(f.enforcementLevel))), 5);
    const severityWidth = 8;
    const indent = 2 + policyWidth + 2 + levelWidth + 2 + severityWidth + 2;
    const pad = " ".repeat(indent);
    const messageWidth = width > 0 ? Math.max(40, width - indent) : 0;
    const fixOf = fixes(report);
    let current: string | undefined;
    findings.forEach((f, i) => {
        if (f.urn !== current) {
            if (current !== undefined) {
                lines.push("");
            }
            current = f.urn;
            const at = f.source ? `  at ${cell(sourceText(f.source), MAX_URN)}` : "";
            lines.push(f.urn ? `${cell(f.type)} "${cell(f.name)}"  ${cell(f.urn, MAX_URN)}${at}` : `stack ${cell(report.project)}/${cell(report.stack)}`);
            lines.push(`  ${"POLICY".padEnd(policyWidth)}  ${"LEVEL".padEnd(levelWidth)}  ${"SEVERITY".padEnd(severityWidth)}  MESSAGE`);
        }
        const [first, ...rest] = wrap(terminalText(f.message, MAX_MESSAGE, { multiline: true }), messageWidth);
        lines.push(`  ${cell(f.policyName).padEnd(policyWidth)}  ${cell(f.enforcementLevel).padEnd(levelWidth)}  ` +
            `${cell(f.severity || "-").padEnd(severityWidth)}  ${first}`);
        for (const line of rest) {
            lines.push(`${pad}${line}`);
        }
        // The policy's fix, once under its last finding on this resource.
        const next = findings[i + 1];
        const fix = fixOf.get(f.policyName);
        if (fix && (!next || next.urn !== f.urn || next.policyName !== f.policyName)) {
            for (const line of wrap(`fix: ${terminalText(fix, MAX_MESSAGE, { multiline: true })}`, messageWidth)) {
                lines.push(`${pad}${line}`);
            }
        }
    });
    if (findings.length > 0) {
        lines.push("");
    } else {
        lines.push("No violations.");
        lines.push("");
    }
    lines.push(...exemptedSection(report));
    const s = summarize(report);
    lines.push(`${s.result === "fail" ? "FAIL" : "PASS"}: ${plural(s.violations, "violation")} ` +
        `(${s.mandatory} mandatory, ${s.advisory} advisory) on ${plural(s.resourcesWithViolations, "resource")}. ` +
        `${plural(s.policies, "policy")} checked ${plural(s.resources, "resource")}.`);
    const skipped = report.skipped ?? [];
    if (skipped.length > 0) {
        const shown = skipped.slice(0, 5).map(r => `${cell(r.type)} "${cell(r.name)}" (${cell(r.reason, MAX_MESSAGE)})`);
        lines.push(`Note: ${plural(skipped.length, "resource")} set aside, not judged: ${shown.join("; ")}` +
            `${skipped.length > 5 ? `; and ${skipped.length - 5} more (see --format json)` : ""}.`);
    }
    if (s.redactedSecretValues > 0) {
        lines.push(`Note: values from inside Pulumi secrets are shown as [secret] (${plural(s.redactedSecretValues, "secret value")} ` +
            "in this stack).");
    }
    if (s.encryptedSecretsNotJudged > 0) {
        lines.push(`Note: ${plural(s.encryptedSecretsNotJudged, "encrypted secret")} in resource inputs could not be judged ` +
            "(the policies see them as unknown values); export with `pulumi stack export --show-secrets` to check " +
            "password strength too. Secret values are never printed.");
    }
    return neutralizeWorkflowCommands(lines.join("\n")) + "\n";
}

/** Exemptions listed in the table; the rest are counted (JSON lists them all). */
export const MAX_EXEMPTIONS_SHOWN = 200;
/** Characters of an exemption's reason the reports show. */
export const MAX_REASON = 200;

/** "until <date>", "expires on <date>" or "expired on <date>", by state. */
export function exemptionState(e: Pick<ExemptedResource, "status" | "expires">): string {
    return e.status === "valid" ? `exempted until ${e.expires}` : e.status === "expiring" ? `expires on ${e.expires}`
        : `expired on ${e.expires}`;
}

/** The table's "exempted" section: each exempted resource and policy, its state and reason. */
function exemptedSection(report: AnalysisReport): string[] {
    const exempted = exemptionsOfReport(report);
    if (exempted.length === 0) {
        return [];
    }
    const lines = [`Exempted (${exempted.length} resource and policy ${exempted.length === 1 ? "pair" : "pairs"}; reason as granted):`];
    for (const e of exempted.slice(0, MAX_EXEMPTIONS_SHOWN)) {
        lines.push(`  ${cell(e.policy)}  ${cell(e.type)} "${cell(e.name)}"  ${exemptionState(e)}` +
            `${e.status === "expired" ? " (the violation is reported above)" : ""}: ${terminalText(e.reason, MAX_REASON, { multiline: true }).replace(/\s*\n\s*/g, " ")}`);
    }
    if (exempted.length > MAX_EXEMPTIONS_SHOWN) {
        lines.push(`  and ${exempted.length - MAX_EXEMPTIONS_SHOWN} more (see --format json)`);
    }
    lines.push("");
    return lines;
}

export function toJson(report: AnalysisReport, toolVersion: string): object {
    const fixOf = fixes(report);
    return {
        tool: { name: "aws-mq-guardrails", version: toolVersion },
        policyPack: report.pack,
        file: report.file,
        organization: report.organization ?? null,
        project: report.project,
        stack: report.stack,
        summary: summarize(report),
        violations: sortedFindings(report).map(f => ({
            urn: boundedText(f.urn, MAX_URN),
            type: boundedText(f.type, MAX_NAME),
            name: boundedText(f.name, MAX_NAME),
            policyName: f.policyName,
            enforcementLevel: f.enforcementLevel,
            severity: f.severity,
            description: f.description,
            message: boundedText(f.message, MAX_MESSAGE),
            // Where the program declares the resource (`file:line`), when the export recorded it.
            ...(f.source ? { source: boundedText(sourceText(f.source), MAX_URN) } : {}),
        })),
        skipped: (report.skipped ?? []).map(r => ({
            urn: boundedText(r.urn, MAX_URN), type: boundedText(r.type, MAX_NAME), name: boundedText(r.name, MAX_NAME),
            reason: boundedText(r.reason, MAX_MESSAGE),
        })),
        // Resources an exemption names, per policy: valid and expiring ones were not judged (not applicable).
        exemptions: exemptionsOfReport(report).map(e => ({
            policy: e.policy,
            urn: boundedText(e.urn, MAX_URN),
            type: boundedText(e.type, MAX_NAME),
            name: boundedText(e.name, MAX_NAME),
            reason: boundedText(e.reason, MAX_REASON),
            expires: e.expires,
            status: e.status,
        })),
        // Each reporting policy's fix once (not per violation: a large stack has hundreds of thousands).
        remediations: Object.fromEntries([...new Set(report.findings.map(f => f.policyName))].sort()
            .map(name => [name, fixOf.get(name) ?? ""])),
    };
}

function schemaLine(key: string, schema: Record<string, any>): string {
    const type = schema.enum ? `one of ${schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")}`
        : schema.type === "array" && schema.items?.type ? `${schema.items.type}[]` : String(schema.type ?? "any");
    const dflt = schema.default !== undefined ? `  default ${JSON.stringify(schema.default)}` : "";
    return `    ${key} (${type})${dflt}${schema.description ? `\n        ${schema.description}` : ""}`;
}

/** The settings every policy takes (policies/lib/policy.ts commonConfigSchema), listed once. */
const COMMON_SETTINGS = ["exclude", "advisoryStackTags", "exemptions", "maximumExemptionDays", "exemptionWarningDays"];

export function formatCatalogue(info: AnalyzerInfo): string {
    const lines: string[] = [];
    lines.push(`${info.name} ${info.version}: ${plural(info.policies.length, "policy")}`);
    if (info.description) {
        lines.push(info.description);
    }
    lines.push("");
    const nameWidth = widest(info.policies.map(p => p.name), 6);
    lines.push(`${"POLICY".padEnd(nameWidth)}  SEVERITY  LEVEL      DESCRIPTION`);
    for (const p of info.policies) {
        lines.push(`${p.name.padEnd(nameWidth)}  ${(p.severity || "-").padEnd(8)}  ${(p.enforcementLevel || "advisory").padEnd(9)}  ${p.description}`);
    }
    lines.push("");
    lines.push("Settings (in a --policy-pack-config file: {\"<policy>\": {\"enforcementLevel\": ..., \"<setting>\": ...}}; " +
        `every policy also takes ${COMMON_SETTINGS.join(", ")}):`);
    for (const p of info.policies) {
        const own = Object.entries(p.configSchema?.properties ?? {})
            .filter(([key]) => !COMMON_SETTINGS.includes(key));
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
    // The file name and the errors can quote what the file holds: escaped and bounded like any user text.
    const file = terminalText(check.file, MAX_URN);
    const warnings = check.warnings.map(w => `warning: ${terminalText(w, MAX_MESSAGE)}`);
    if (check.errors.length === 0) {
        return { out: `OK: ${file} is a valid policy config for this pack\n`,
            err: warnings.map(w => neutralizeWorkflowCommands(w) + "\n").join("") };
    }
    if (check.errors.length === 1 && warnings.length === 0) {
        // One error, one line, as every other error of the command.
        const error = terminalText(check.errors[0], MAX_MESSAGE);
        const line = error.includes(file) ? error : `${file} is not a valid policy config: ${error}`;
        return { out: "", err: `aws-mq-guardrails: ${neutralizeWorkflowCommands(line)}\n` };
    }
    const lines = [`${file} is not a valid policy config (${plural(check.errors.length, "error")}):`,
        ...check.errors.map(e => `  ${terminalText(e, MAX_MESSAGE)}`), ...warnings];
    return { out: "", err: neutralizeWorkflowCommands(lines.join("\n")) + "\n" };
}

/** The totals over several stacks: the worst result wins. */
export function summarizeAll(reports: AnalysisReport[]): {
    stacks: number; failingStacks: number; violations: number; mandatory: number; advisory: number; result: "pass" | "fail";
} {
    const each = reports.map(summarize);
    const mandatory = each.reduce((n, s) => n + s.mandatory, 0);
    const violations = each.reduce((n, s) => n + s.violations, 0);
    return {
        stacks: reports.length,
        failingStacks: each.filter(s => s.result === "fail").length,
        violations, mandatory, advisory: violations - mandatory,
        result: mandatory > 0 ? "fail" : "pass",
    };
}

/** Several stacks as tables: a section per stack (in the order given), then one line for them all. */
export function formatTables(reports: AnalysisReport[], width = 0): string {
    const sections = reports.map(r => formatTable(r, width));
    const s = summarizeAll(reports);
    const total = `${s.result === "fail" ? "FAIL" : "PASS"} (all ${plural(s.stacks, "stack")}): ${plural(s.violations, "violation")} ` +
        `(${s.mandatory} mandatory, ${s.advisory} advisory); ${s.failingStacks} of ${plural(s.stacks, "stack")} fail.`;
    return `${sections.join(`\n${"=".repeat(72)}\n\n`)}\n${total}\n`;
}

/** Several stacks as JSON: each stack's report as `toJson` writes it, and the totals. */
export function toJsonMany(reports: AnalysisReport[], toolVersion: string): object {
    return {
        tool: { name: "aws-mq-guardrails", version: toolVersion },
        summary: summarizeAll(reports),
        stacks: reports.map(r => toJson(r, toolVersion)),
    };
}
