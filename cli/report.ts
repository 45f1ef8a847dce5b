// Small helpers every output format shares.
import type { AnalysisReport } from "./analyze";

/** Each policy's fix (its remediation steps), by policy name. */
export function fixOf(report: AnalysisReport): Map<string, string> {
    return new Map(report.info.policies.filter(p => p.remediationSteps).map(p => [p.name, p.remediationSteps]));
}

/** `organization/project/stack` (organization only when given), raw: each format escapes it. */
export function stackLabel(report: AnalysisReport): string {
    return `${report.organization ? `${report.organization}/` : ""}${report.project}/${report.stack}`;
}
