// Proto <-> JavaScript for what the session receives (the catalogue, diagnostics, remediations) and the one
// request it builds as a google-protobuf message (Configure). Analyze and AnalyzeStack requests are written as
// bytes by engine/wire.ts.
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { EnforcementLevel, PolicyPackConfig } from "./config";
import type { AnalyzerInfo, Diagnostic, PolicyInfo, Remediation, Severity } from "./types";

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_VALUES: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
};
const SEVERITY_NAMES: Record<number, Severity> = {
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** The engine's convertEnforcementLevel: an unknown number is an error. */
function levelName(level: number): EnforcementLevel {
    const name = LEVEL_NAMES[level];
    if (!name) {
        throw new Error(`invalid enforcement level ${level}`);
    }
    return name;
}

function severityName(severity: number): Severity {
    return SEVERITY_NAMES[severity] ?? "";
}

function policyTypeName(type: number): PolicyInfo["policyType"] {
    return type === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE ? "resource" :
        type === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "";
}

export function convertInfo(resp: analyzerpb.AnalyzerInfo, yamlVersion: string | undefined): AnalyzerInfo {
    const policies: PolicyInfo[] = resp.getPoliciesList().map(p => {
        const schema = p.getConfigschema();
        const info: PolicyInfo = {
            name: p.getName(),
            displayName: p.getDisplayname(),
            description: p.getDescription(),
            enforcementLevel: levelName(p.getEnforcementlevel()),
            severity: severityName(p.getSeverity()),
            message: p.getMessage(),
            remediationSteps: p.getRemediationSteps(),
            url: p.getUrl(),
            tags: p.getTagsList(),
            policyType: policyTypeName(p.getPolicyType()),
        };
        if (schema) {
            info.configSchema = { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, any> };
            const required = schema.getRequiredList();
            if (required.length > 0) {
                info.configSchema.required = required;
            }
        }
        return info;
    });
    // The engine's GetAnalyzerInfo converts the initial config's level as it is on the wire: unset reads as
    // ADVISORY (0), as in the engine.
    const initialConfig: PolicyPackConfig = {};
    resp.getInitialconfigMap().forEach((v, k) => {
        initialConfig[k] = {
            enforcementLevel: levelName(v.getEnforcementlevel()),
            ...(v.getProperties() ? { properties: v.getProperties()!.toJavaScript() as Record<string, unknown> } : {}),
        };
    });
    return {
        name: resp.getName(),
        displayName: resp.getDisplayname(),
        // The version from PulumiPolicy.yaml is used, if set, over the version from the response.
        version: yamlVersion ?? resp.getVersion(),
        description: resp.getDescription(),
        policies,
        initialConfig,
    };
}

export function convertDiagnostics(resp: analyzerpb.AnalyzeResponse, yamlVersion: string | undefined): Diagnostic[] {
    return resp.getDiagnosticsList().map(d => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: yamlVersion ?? d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: levelName(d.getEnforcementlevel()),
        urn: d.getUrn(),
        severity: severityName(d.getSeverity()),
    }));
}

/** The remediations of a Remediate answer; the version from PulumiPolicy.yaml, if set, wins. */
export function convertRemediations(resp: analyzerpb.RemediateResponse, yamlVersion: string | undefined): Remediation[] {
    return resp.getRemediationsList().map(r => {
        const result: Remediation = {
            policyName: r.getPolicyname(),
            policyPackName: r.getPolicypackname(),
            policyPackVersion: yamlVersion ?? r.getPolicypackversion(),
            description: r.getDescription(),
        };
        const props = r.getProperties();
        if (props) {
            result.properties = props.toJavaScript() as Record<string, unknown>;
        }
        if (r.getDiagnostic()) {
            result.diagnostic = r.getDiagnostic();
        }
        return result;
    });
}

/** The engine's marshalMap: plain JSON (config values are never secrets or unknowns here). */
function plainStruct(value: Record<string, unknown> | undefined): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

export function configureRequest(config: PolicyPackConfig): analyzerpb.ConfigureAnalyzerRequest {
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
        const level = entry.enforcementLevel ?? "advisory";
        const pc = new analyzerpb.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_VALUES[level]);
        pc.setProperties(plainStruct(entry.properties));
        map.set(name, pc);
    }
    return req;
}
