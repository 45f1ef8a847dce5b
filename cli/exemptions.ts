// The exemptions in force over an analyzed stack, for the "exempted" section of every format. The pack reports
// an exempted resource as not applicable (which the engine session does not pass on), so this recomputes, from
// the reconciled config the pack was given and the export's resources, which resources each policy's
// exemptions name, with the same functions and the same UTC day as the pack (policies/lib/exemptions.ts).
//
// Listed per policy: the resources of the types the policy judges, plus any resource the policy reported on (a
// security group a stack policy names, whose exemption expired or is about to). An `exclude`d resource is not
// listed (it is skipped silently, as before).
import { exemptionFor, exemptionsOf, ExemptionStatus, utcToday } from "../policies/lib/exemptions";
import { isExcluded } from "../policies/lib/glob";
import type { AnalysisReport } from "./analyze";

export interface ExemptedResource {
    policy: string;
    urn: string;
    type: string;
    name: string;
    reason: string;
    expires: string;
    status: ExemptionStatus;
}

/** The types each policy judges, from the pack's own modules (loaded only when a config has exemptions). */
function policyTypes(): Map<string, readonly string[]> {
    try {
         
        const mod = require("../policies") as { policies?: Array<{ name: string; types?: readonly string[] }> };
        return new Map((mod.policies ?? []).filter(p => Array.isArray(p.types)).map(p => [p.name, p.types!]));
    } catch {
        return new Map();
    }
}

const cache = new WeakMap<AnalysisReport, ExemptedResource[]>();

/** Every (policy, resource) an exemption names, in the export's order then policy name. */
export function exemptionsOfReport(report: AnalysisReport, today = utcToday()): ExemptedResource[] {
    const cached = cache.get(report);
    if (cached) {
        return cached;
    }
    const out: ExemptedResource[] = [];
    let types: Map<string, readonly string[]> | undefined;
    const reported = new Map<string, Set<string>>();
    for (const f of report.findings) {
        let set = reported.get(f.policyName);
        if (!set) {
            reported.set(f.policyName, set = new Set());
        }
        set.add(f.urn);
    }
    const policies = [...report.info.policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const policy of policies) {
        const entry = report.config?.[policy.name];
        if (!entry || entry.enforcementLevel === "disabled") {
            continue;
        }
        const entries = exemptionsOf(entry.properties?.exemptions);
        if (entries.length === 0) {
            continue;
        }
        types = types ?? policyTypes();
        const judged = types.get(policy.name) ?? ["aws:mq/broker:Broker"];
        const named = reported.get(policy.name) ?? new Set<string>();
        for (const [urn, r] of report.resourceOrder) {
            if (!judged.includes(r.type) && !named.has(urn)) {
                continue;
            }
            if (isExcluded(entry.properties?.exclude, r.name, urn)) {
                continue;
            }
            const found = exemptionFor(entries, r.name, urn, today, entry.properties?.exemptionWarningDays);
            if (found) {
                out.push({ policy: policy.name, urn, type: r.type, name: r.name, reason: found.entry.reason,
                    expires: found.entry.expires, status: found.status });
            }
        }
    }
    const order = (urn: string) => report.resourceOrder.get(urn)?.index ?? Number.MAX_SAFE_INTEGER;
    out.sort((a, b) => order(a.urn) - order(b.urn) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
    cache.set(report, out);
    return out;
}

/** The exemptions that hold (valid or about to expire): the resource was not judged by that policy. */
export function heldExemptions(report: AnalysisReport): ExemptedResource[] {
    return exemptionsOfReport(report).filter(e => e.status !== "expired");
}
