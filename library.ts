// The library entry point, `aws-mq-guardrails/library`: this pack's policies for an organization's own
// policy pack, chosen by severity and topic, without starting this pack. Unlike index.ts (the pack that
// `--policy-pack` and Pulumi Cloud run), importing this file constructs no PolicyPack, so it starts no policy
// server and loads no gRPC: the policies import @pulumi/policy for types only.
//
//   import { PolicyPack } from "@pulumi/policy";
//   import { selectPolicies } from "aws-mq-guardrails/library";
//
//   new PolicyPack("acme-guardrails", {
//       policies: [...selectPolicies({ severity: ["critical", "high"] }, "mandatory"), ...acmePolicies],
//   }, { "mq-broker-user-credentials": { minimumPasswordLength: 24 } });   // config defaults, in code
//
//   selectPolicies({ framework: "pci-dss" });                          // every policy AWS maps to PCI DSS
//   selectPolicies({ framework: "nist-800-53", control: "SC-7" });     // SC-7 and its enhancements
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import type { PackPolicy } from "./policies/lib/policy";
import { policies as packPolicies } from "./policies";
import { CONTROL_PATTERNS, controlMatches, controlsOf, Framework, FRAMEWORKS } from "./policies/lib/frameworks";

export type { Framework, FrameworkMapping, MappedControl, MappedPolicyName, SecurityHubControlId } from "./policies/lib/frameworks";
export { complianceMatrixMarkdown, controlsOf, FRAMEWORK_MAPPINGS, FRAMEWORKS, SECURITY_HUB_CONTROLS } from "./policies/lib/frameworks";

export type { PackPolicy, PackResourcePolicy, PackStackPolicy } from "./policies/lib/policy";

/** The topics a policy can be selected by (the names of issue 13 §2, as Pulumi's compliance-policies uses topics). */
export type Topic = "encryption" | "network" | "availability" | "identity" | "logging" | "naming";

export const TOPICS: readonly Topic[] = ["encryption", "network", "availability", "identity", "logging", "naming"];
const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * A policy's topics, derived from the words of its name (`mq-broker-kms-encryption` is about encryption),
 * so a policy needs no field of its own. A name matching no word has no topic; the library spec fails for
 * such a policy, so a new policy's author extends this table rather than leaving it unselectable by topic.
 * Version, upgrade and size policies count as availability: Amazon MQ upgrades an unsupported version
 * itself in the maintenance window, and a test-only size does not hold a production load. So do the
 * configuration checks (valid data, a configuration that matches its broker): a configuration Amazon MQ
 * rejects or sanitizes leaves the broker without the settings it was meant to run with. FIPS endpoints are
 * about encryption (validated cryptography in transit to the API); least privilege is about identity.
 */
const TOPIC_WORDS: Readonly<Record<Topic, readonly string[]>> = {
    encryption: ["kms", "fips"],
    network: ["public-access", "network", "subnets"],
    availability: ["high-availability", "multi-az", "durable-storage", "engine-version", "auto-minor-version-upgrade", "instance-type",
        "valid-data", "broker-configuration"],
    identity: ["credentials", "secret", "ldap", "authentication", "least-privilege"],
    logging: ["logging"],
    naming: ["naming", "names", "tags"],
};

/** The topics of a policy (by its name), in the order of TOPICS. */
export function topicsOf(policy: Pick<PackPolicy, "name">): Topic[] {
    const words = policy.name.toLowerCase();
    return TOPICS.filter(topic => TOPIC_WORDS[topic].some(word => words.includes(word)));
}

/** Every policy of the pack, in catalogue order, with the pack's own defaults. Shared: do not mutate. */
export const policies: readonly PackPolicy[] = Object.freeze([...packPolicies]);

/** What to select; each field is one value or a list (any of them), and the fields combine with "and". */
export interface PolicySelection {
    severity?: Severity | readonly Severity[];
    topic?: Topic | readonly Topic[];
    /**
     * Compliance framework: the policies mapped to it (policies/lib/frameworks.ts). AWS Security Hub control IDs,
     * NIST SP 800-53 rev. 5 controls (as AWS maps them for those Security Hub controls, plus our own mapping for
     * policies no Security Hub control covers, unless `mappedBy: "aws"`), PCI DSS v4.0.1 where AWS documents it.
     */
    framework?: Framework | readonly Framework[];
    /**
     * With `framework`: only the policies mapped to this control of it (`MQ.5`, `SC-7`, `10.3.3`), compared
     * case-insensitively; a NIST base control takes in its enhancements (SC-7 selects SC-7(4)), a PCI DSS
     * requirement its sub-requirements (10.3 selects 10.3.3).
     */
    control?: string;
    /** With `framework`: `"aws"` keeps only mappings AWS documents (leaves out this project's own NIST mapping). */
    mappedBy?: "aws" | "any";
}

function listOf<T extends string>(field: string, value: T | readonly T[] | undefined, allowed: readonly T[]): readonly T[] | undefined {
    if (value === undefined) {
        return undefined;
    }
    const list: readonly unknown[] = Array.isArray(value) ? value : [value];
    for (const entry of list) {
        if (typeof entry !== "string" || !(allowed as readonly string[]).includes(entry)) {
            throw new Error(`selectPolicies: ${field} ${JSON.stringify(entry)} is not one of ${allowed.join(", ")}`);
        }
    }
    return list as readonly T[];
}

/**
 * The pack's policies that match `selection`, in catalogue order, like compliance-policies'
 * `policyManager.selectPolicies`. With `enforcementLevel`, each selected policy is a copy at that level (the
 * shared `policies` stay as they are); config given to the PolicyPack still overrides it per policy.
 */
export function selectPolicies(selection: PolicySelection = {}, enforcementLevel?: EnforcementLevel): PackPolicy[] {
    if (typeof selection !== "object" || selection === null || Array.isArray(selection)) {
        throw new Error("selectPolicies: the selection is an object such as { severity: \"critical\", topic: \"network\" }");
    }
    const unknownKeys = Object.keys(selection).filter(key => !["severity", "topic", "framework", "control", "mappedBy"].includes(key));
    if (unknownKeys.length > 0) {
        throw new Error(`selectPolicies: unknown selection ${unknownKeys.map(k => JSON.stringify(k)).join(", ")}; ` +
            "select by severity, topic or framework (with control and mappedBy)");
    }
    const severities = listOf("severity", selection.severity, SEVERITIES);
    const topics = listOf("topic", selection.topic, TOPICS);
    const frameworks = listOf("framework", selection.framework, FRAMEWORKS);
    if (selection.mappedBy !== undefined && selection.mappedBy !== "aws" && selection.mappedBy !== "any") {
        throw new Error(`selectPolicies: mappedBy ${JSON.stringify(selection.mappedBy)} is not one of aws, any`);
    }
    const mappedBy = selection.mappedBy ?? "any";
    const control = frameworkControl(frameworks, selection);
    if (enforcementLevel !== undefined) {
        listOf("enforcementLevel", enforcementLevel, ENFORCEMENT_LEVELS);
    }
    return policies
        .filter(policy => !severities || (policy.severity !== undefined && severities.includes(policy.severity)))
        .filter(policy => !topics || topicsOf(policy).some(topic => topics.includes(topic)))
        .filter(policy => !frameworks || controlsOf(policy.name).some(mapped =>
            frameworks.includes(mapped.framework) &&
            (mappedBy === "any" || mapped.mappedBy === "aws") &&
            (control === undefined || controlMatches(mapped.framework, mapped.control, control))))
        .map(policy => (enforcementLevel === undefined ? policy : { ...policy, enforcementLevel }));
}

/** The control asked for, checked against the shape of the frameworks' control IDs (a typo must not select nothing). */
function frameworkControl(frameworks: readonly Framework[] | undefined, selection: PolicySelection): string | undefined {
    if (frameworks === undefined) {
        if (selection.control !== undefined || selection.mappedBy !== undefined) {
            throw new Error("selectPolicies: control and mappedBy need a framework, such as { framework: \"nist-800-53\", control: \"SC-7\" }");
        }
        return undefined;
    }
    const control = selection.control;
    if (control === undefined) {
        return undefined;
    }
    if (typeof control !== "string" || !frameworks.some(framework => CONTROL_PATTERNS[framework].test(control.trim()))) {
        throw new Error(`selectPolicies: control ${JSON.stringify(control)} is not a control ID of ${frameworks.join(" or ")} ` +
            "(such as MQ.5, SC-7, SC-7(4) or 10.3.3)");
    }
    return control.trim();
}
