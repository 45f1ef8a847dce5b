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
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import type { PackPolicy } from "./policies/lib/policy";
import { policies as packPolicies } from "./policies";

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
 * itself in the maintenance window, and a test-only size does not hold a production load.
 */
const TOPIC_WORDS: Readonly<Record<Topic, readonly string[]>> = {
    encryption: ["kms"],
    network: ["public-access", "network", "subnets"],
    availability: ["high-availability", "multi-az", "durable-storage", "engine-version", "auto-minor-version-upgrade", "instance-type"],
    identity: ["credentials", "secret", "ldap", "authentication"],
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
     * Compliance framework (AWS Security Hub, NIST SP 800-53, PCI DSS): not available yet, because no policy
     * carries a framework mapping; giving one throws rather than selecting nothing in silence.
     */
    framework?: string | readonly string[];
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
    const unknownKeys = Object.keys(selection).filter(key => !["severity", "topic", "framework"].includes(key));
    if (unknownKeys.length > 0) {
        throw new Error(`selectPolicies: unknown selection ${unknownKeys.map(k => JSON.stringify(k)).join(", ")}; ` +
            "select by severity, topic or framework");
    }
    if (selection.framework !== undefined) {
        throw new Error("selectPolicies: selection by framework is not available yet: no policy of aws-mq-guardrails " +
            "carries a compliance framework mapping; select by severity or topic");
    }
    const severities = listOf("severity", selection.severity, SEVERITIES);
    const topics = listOf("topic", selection.topic, TOPICS);
    if (enforcementLevel !== undefined) {
        listOf("enforcementLevel", enforcementLevel, ENFORCEMENT_LEVELS);
    }
    return policies
        .filter(policy => !severities || (policy.severity !== undefined && severities.includes(policy.severity)))
        .filter(policy => !topics || topicsOf(policy).some(topic => topics.includes(topic)))
        .map(policy => (enforcementLevel === undefined ? policy : { ...policy, enforcementLevel }));
}
