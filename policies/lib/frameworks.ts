// Compliance framework mapping of every policy (issue 13 §2): AWS Security Hub control IDs, NIST SP 800-53 rev. 5
// controls and PCI DSS v4 requirements. Pure data and pure functions: no @pulumi import, so the library entry
// (library.ts) and the command line can load it without starting anything.
//
// What is AWS's and what is ours is kept apart:
// - SECURITY_HUB_CONTROLS records, per Security Hub control, the "Related requirements" AWS lists for it
//   (NIST SP 800-53 r5 and PCI DSS v4.0.1), copied from the AWS page cited beside it. A policy's AWS NIST and
//   PCI mapping is only ever derived from the Security Hub controls it is mapped to, never written by hand.
// - A policy that no Security Hub control covers may carry `ourNist`: this project's own reading of NIST SP
//   800-53 r5, with its rationale. It is labelled "our mapping" everywhere it is shown, and
//   selectPolicies({ ..., mappedBy: "aws" }) leaves it out.
// - awsConfigRules lists AWS Config managed rules that check the same property, for policies with or without a
//   Security Hub control (a Config rule carries no framework mapping of its own).

/** The frameworks a policy can be selected by. */
export type Framework = "security-hub" | "nist-800-53" | "pci-dss";
export const FRAMEWORKS: readonly Framework[] = ["security-hub", "nist-800-53", "pci-dss"];

/** The day every source below was read. */
export const READ_ON = "2026-12-03";

/** A source: the page a fact was read from and the day it was read. */
export interface Citation {
    url: string;
    read: string;
}

export interface SecurityHubControl {
    title: string;
    /** NIST SP 800-53 rev. 5 controls AWS lists as related requirements ("NIST.800-53.r5 SC-7" is "SC-7"). */
    nist80053: readonly string[];
    /** PCI DSS v4.0.1 requirements AWS lists as related requirements ("PCI DSS v4.0.1/10.3.3" is "10.3.3"). */
    pciDss: readonly string[];
    /** The AWS Config rule Security Hub evaluates the control with. */
    awsConfigRule: string;
    source: Citation;
    note?: string;
}

const MQ_CONTROLS_URL = "https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html";

/** The Security Hub controls some policy maps to, with the related requirements AWS documents for each. */
export const SECURITY_HUB_CONTROLS = {
    "MQ.2": {
        title: "ActiveMQ brokers should stream audit logs to CloudWatch",
        nist80053: ["AU-2", "AU-3", "AU-12", "SI-4"],
        pciDss: ["10.3.3"],
        awsConfigRule: "mq-cloudwatch-audit-log-enabled",
        source: { url: `${MQ_CONTROLS_URL}#mq-2`, read: READ_ON },
    },
    "MQ.3": {
        title: "Amazon MQ brokers should have automatic minor version upgrade enabled",
        nist80053: ["CM-3", "SI-2"],
        pciDss: ["6.3.3"],
        awsConfigRule: "mq-auto-minor-version-upgrade-enabled",
        source: { url: `${MQ_CONTROLS_URL}#mq-3`, read: READ_ON },
        note: "Listed on the published page read 2026-12-03; a later revision of the page's source (\"Security Hub " +
            "CSPM controls for Amazon MQ\") no longer lists MQ.3, so check that your Security Hub still offers it.",
    },
    "MQ.4": {
        title: "Amazon MQ brokers should be tagged",
        nist80053: [],
        pciDss: [],
        awsConfigRule: "tagged-amazonmq-broker",
        source: { url: `${MQ_CONTROLS_URL}#mq-4`, read: READ_ON },
        note: "AWS lists no related requirements for MQ.4.",
    },
    "MQ.5": {
        title: "ActiveMQ brokers should use active/standby deployment mode",
        nist80053: ["CP-10", "CP-6(2)", "SC-36", "SC-5(2)", "SI-13(5)"],
        pciDss: [],
        awsConfigRule: "mq-active-deployment-mode",
        source: { url: `${MQ_CONTROLS_URL}#mq-5`, read: READ_ON },
    },
    "MQ.6": {
        title: "RabbitMQ brokers should use cluster deployment mode",
        nist80053: ["CP-10", "CP-6(2)", "SC-36", "SC-5(2)", "SI-13(5)"],
        pciDss: [],
        awsConfigRule: "mq-rabbit-deployment-mode",
        source: { url: `${MQ_CONTROLS_URL}#mq-6`, read: READ_ON },
    },
    "KMS.4": {
        title: "AWS KMS key rotation should be enabled",
        nist80053: ["SC-12", "SC-12(2)", "SC-28(3)"],
        pciDss: ["3.7.4"],
        awsConfigRule: "cmk-backing-key-rotation-enabled",
        source: { url: "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4", read: READ_ON },
        note: "Evaluates every KMS key in the account; mq-stack-kms-key-hygiene checks the keys that encrypt brokers.",
    },
    "EC2.18": {
        title: "Security groups should only allow unrestricted incoming traffic for authorized ports",
        nist80053: ["AC-4", "AC-4(21)", "SC-7", "SC-7(11)", "SC-7(16)", "SC-7(21)", "SC-7(4)", "SC-7(5)"],
        pciDss: [],
        awsConfigRule: "vpc-sg-open-only-to-authorized-ports",
        source: { url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18", read: READ_ON },
        note: "Evaluates every security group (ports 80 and 443 authorized by default); mq-stack-network-exposure checks " +
            "the groups of brokers, on the broker ports.",
    },
    "EC2.19": {
        title: "Security groups should not allow unrestricted access to ports with high risk",
        nist80053: ["AC-4", "AC-4(21)", "CA-9(1)", "CM-2", "CM-2(2)", "CM-7", "SC-7", "SC-7(11)", "SC-7(16)", "SC-7(21)", "SC-7(4)", "SC-7(5)"],
        pciDss: [],
        awsConfigRule: "restricted-common-ports",
        source: { url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19", read: READ_ON },
        note: "Its fixed list of high-risk ports holds no Amazon MQ broker port: it overlaps mq-stack-network-exposure only " +
            "where a rule opens every port (or a range taking in those ports) to the world.",
    },
} as const satisfies Record<string, SecurityHubControl>;

export type SecurityHubControlId = keyof typeof SECURITY_HUB_CONTROLS;

/** An AWS Config managed rule that checks what a policy checks. */
export interface AwsConfigRule {
    name: string;
    source: Citation;
}

/** This project's own NIST SP 800-53 r5 reading for a policy (not AWS's): controls and why. */
export interface OurNistMapping {
    controls: readonly string[];
    rationale: string;
}

export interface FrameworkMapping {
    /** Security Hub controls that check the same property (none when AWS has none). */
    securityHub: readonly SecurityHubControlId[];
    /** AWS Config managed rules that check the same property. */
    awsConfigRules?: readonly AwsConfigRule[];
    /** Our own NIST SP 800-53 r5 mapping, only for policies that no Security Hub control covers. */
    ourNist?: OurNistMapping;
    /** What the mapping does not cover, or how the policy differs from the control. */
    note?: string;
}

const configRule = (name: string): AwsConfigRule => ({
    name,
    source: { url: `https://docs.aws.amazon.com/config/latest/developerguide/${name}.html`, read: READ_ON },
});

/**
 * Every policy's mapping, by policy name. tests/frameworks.spec.ts fails when a policy of policies/index.ts has no
 * entry here, or an entry names no policy.
 */
const MAPPINGS = {
    "mq-broker-high-availability": {
        securityHub: ["MQ.5", "MQ.6"],
        awsConfigRules: [configRule("mq-active-deployment-mode"), configRule("mq-rabbit-deployment-mode")],
    },
    "mq-broker-kms-encryption": {
        securityHub: [],
        ourNist: {
            controls: ["SC-12", "SC-28(1)"],
            rationale: "encryption at rest (SC-28(1)) with a KMS key of the class the organization manages (SC-12)",
        },
        // "Amazon MQ always encrypts at rest": K1, cited in kms.ts (using-amazon-mq-securely, read 2026-12-03).
        note: "Security Hub has no Amazon MQ encryption control (Amazon MQ always encrypts at rest; the policy chooses the key class).",
    },
    "mq-broker-no-public-access": {
        securityHub: [],
        awsConfigRules: [configRule("mq-no-public-access")],
        ourNist: { controls: ["AC-4", "SC-7"], rationale: "a broker reachable only from its VPC is a boundary protection (SC-7) and information flow control (AC-4)" },
        note: "AWS Config has a managed rule (mq-no-public-access) but Security Hub has no control for it.",
    },
    "mq-broker-user-credentials": {
        securityHub: [],
        ourNist: { controls: ["IA-5(1)"], rationale: "password-based authentication: length and reuse of broker user passwords" },
    },
    "mq-broker-safe-naming": {
        securityHub: [],
        note: "No Security Hub control; AWS's tagging guidance (MQ.4 page) asks for no personal or confidential data in tags.",
    },
    "mq-broker-logging": {
        securityHub: ["MQ.2"],
        awsConfigRules: [configRule("mq-cloudwatch-audit-log-enabled")],
        note: "MQ.2 covers ActiveMQ audit logs; the policy also requires general logs on both engines.",
    },
    "mq-broker-engine-version": {
        securityHub: [],
        ourNist: { controls: ["SI-2"], rationale: "flaw remediation: an engine version Amazon MQ no longer supports gets no fixes" },
    },
    "mq-broker-auto-minor-version-upgrade": {
        securityHub: ["MQ.3"],
        awsConfigRules: [configRule("mq-auto-minor-version-upgrade-enabled")],
    },
    "mq-broker-instance-type": { securityHub: [] },
    "mq-broker-durable-storage": {
        securityHub: [],
        awsConfigRules: [configRule("mq-active-single-instance-broker-storage-type-efs")],
    },
    "mq-broker-required-tags": { securityHub: ["MQ.4"] },
    "mq-broker-ldap-authentication": {
        securityHub: [],
        awsConfigRules: [configRule("mq-active-broker-ldap-authentication")],
        ourNist: { controls: ["AC-2(1)", "IA-2"], rationale: "users managed and authenticated in the organization's directory" },
    },
    "mq-configuration-no-embedded-credentials": {
        securityHub: [],
        ourNist: { controls: ["IA-5(7)"], rationale: "no embedded unencrypted static authenticators in broker configuration data" },
    },
    "mq-configuration-valid-data": { securityHub: [] },
    "mq-configuration-least-privilege": {
        securityHub: [],
        ourNist: { controls: ["AC-6"], rationale: "least privilege: an authorization map, no RabbitMQ setting that lifts a default protection" },
    },
    "mq-stack-kms-key-hygiene": {
        securityHub: ["KMS.4"],
        awsConfigRules: [configRule("cmk-backing-key-rotation-enabled")],
        note: "KMS.4 covers rotation; the policy also checks key usage, spec, state and deletion window.",
    },
    "mq-stack-secret-backed-users": {
        securityHub: [],
        ourNist: { controls: ["IA-5(7)"], rationale: "no embedded unencrypted static authenticators: passwords come from a secret source" },
    },
    "mq-stack-network-exposure": {
        securityHub: ["EC2.18", "EC2.19"],
        awsConfigRules: [configRule("vpc-sg-open-only-to-authorized-ports")],
    },
    "mq-stack-multi-az-subnets": {
        securityHub: [],
        awsConfigRules: [configRule("mq-active-deployment-mode"), configRule("mq-rabbit-deployment-mode")],
        ourNist: { controls: ["SC-36"], rationale: "distributed processing: the instances of a highly available broker in distinct zones" },
        note: "MQ.5 and MQ.6 (and their Config rules, listed here as the nearest AWS checks) look at the deployment mode " +
            "only, not at the zones of its subnets, so the AWS NIST mapping of MQ.5/MQ.6 is not claimed here.",
    },
    "mq-stack-unique-broker-names": { securityHub: [] },
    "mq-stack-fips-endpoints": {
        securityHub: [],
        ourNist: { controls: ["SC-13"], rationale: "cryptographic protection: FIPS 140 validated endpoints for the Amazon MQ API" },
    },
    "mq-stack-broker-configuration": { securityHub: [] },
} satisfies Record<string, FrameworkMapping>;

/** The names of the policies with a mapping (the spec checks they are exactly the pack's policies). */
export type MappedPolicyName = keyof typeof MAPPINGS;

export const FRAMEWORK_MAPPINGS: Readonly<Record<MappedPolicyName, FrameworkMapping>> = MAPPINGS;

/** A control of some framework a policy maps to, and whose mapping it is. */
export interface MappedControl {
    framework: Framework;
    control: string;
    mappedBy: "aws" | "ours";
}

function mappingOf(policyName: string): FrameworkMapping {
    const mappings: Readonly<Record<string, FrameworkMapping>> = FRAMEWORK_MAPPINGS;
    const mapping = Object.prototype.hasOwnProperty.call(mappings, policyName) ? mappings[policyName] : undefined;
    if (mapping === undefined) {
        throw new Error(`${policyName} has no framework mapping: add it to FRAMEWORK_MAPPINGS in policies/lib/frameworks.ts`);
    }
    return mapping;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** The controls a policy maps to, per framework; the AWS mapping first, then ours. */
export function controlsOf(policyName: string): MappedControl[] {
    const mapping = mappingOf(policyName);
    const hub = mapping.securityHub.map(id => SECURITY_HUB_CONTROLS[id]);
    const aws = (framework: Framework, controls: readonly string[]): MappedControl[] =>
        unique(controls).map(control => ({ framework, control, mappedBy: "aws" }));
    const awsNist = unique(hub.flatMap(c => c.nist80053));
    return [
        ...aws("security-hub", mapping.securityHub),
        ...aws("nist-800-53", awsNist),
        ...unique(mapping.ourNist?.controls ?? []).filter(c => !awsNist.includes(c))
            .map((control): MappedControl => ({ framework: "nist-800-53", control, mappedBy: "ours" })),
        ...aws("pci-dss", hub.flatMap(c => c.pciDss)),
    ];
}

/** The shape each framework's control IDs take: a control given to selectPolicies must have it. */
export const CONTROL_PATTERNS: Readonly<Record<Framework, RegExp>> = {
    "security-hub": /^[A-Za-z0-9]+\.[0-9]+$/,
    "nist-800-53": /^[A-Za-z]{2}-[0-9]+(\([0-9]+\))?$/,
    "pci-dss": /^[0-9]+(\.[0-9]+)*$/,
};

/**
 * Whether a mapped control is, or falls under, the control asked for: IDs compare case-insensitively; a NIST base
 * control (SC-7) takes in its enhancements (SC-7(4)); a PCI DSS requirement (10 or 10.3) its sub-requirements (10.3.3).
 */
export function controlMatches(framework: Framework, mapped: string, asked: string): boolean {
    const a = mapped.toUpperCase();
    const b = asked.toUpperCase();
    if (a === b) {
        return true;
    }
    if (framework === "nist-800-53") {
        return a.startsWith(`${b}(`) && !b.includes("(");
    }
    if (framework === "pci-dss") {
        return a.startsWith(`${b}.`);
    }
    return false;
}

const escapeCell = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/**
 * The compliance matrix, as Markdown: one row per policy (in the order given), its Security Hub controls, NIST SP
 * 800-53 r5 controls as AWS maps them, our own NIST mapping, PCI DSS v4.0.1, and AWS Config rules; then the sources.
 * The README's block is this text (npm run docs:compliance); `describe --format markdown` can print it too.
 */
export function complianceMatrixMarkdown(policies: readonly { name: string }[]): string {
    const none = "–";
    const list = (values: readonly string[]): string => (values.length === 0 ? none : values.map(v => escapeCell(v)).join(", "));
    const rows = policies.map(policy => {
        const controls = controlsOf(policy.name);
        const pick = (framework: Framework, by: "aws" | "ours"): string[] =>
            controls.filter(c => c.framework === framework && c.mappedBy === by).map(c => c.control);
        const rules = (mappingOf(policy.name).awsConfigRules ?? []).map(r => `\`${r.name}\``);
        return `| \`${escapeCell(policy.name)}\` | ${list(pick("security-hub", "aws"))} | ${list(pick("nist-800-53", "aws"))} | ` +
            `${list(pick("nist-800-53", "ours"))} | ${list(pick("pci-dss", "aws"))} | ${list(rules)} |`;
    });
    const used = unique(policies.flatMap(p => mappingOf(p.name).securityHub)) as SecurityHubControlId[];
    const sources = Object.keys(SECURITY_HUB_CONTROLS)
        .filter((id): id is SecurityHubControlId => used.includes(id as SecurityHubControlId))
        .map(id => {
            const control: SecurityHubControl = SECURITY_HUB_CONTROLS[id];
            return `- [${id}] ${control.title}: ${control.source.url} (read ${control.source.read})` +
                (control.note ? `. ${control.note}` : "");
        });
    const notes = policies
        .map(policy => ({ name: policy.name, note: mappingOf(policy.name).note }))
        .filter((entry): entry is { name: string; note: string } => entry.note !== undefined)
        .map(entry => `- \`${entry.name}\`: ${entry.note}`);
    return [
        "| Policy | Security Hub | NIST SP 800-53 r5 (AWS) | NIST SP 800-53 r5 (our mapping) | PCI DSS v4.0.1 (AWS) | AWS Config rule |",
        "|---|---|---|---|---|---|",
        ...rows,
        "",
        "NIST and PCI DSS columns marked (AWS) are the \"Related requirements\" AWS lists for the Security Hub controls " +
        "in the row, nothing more. \"Our mapping\" is this project's reading of NIST SP 800-53 r5 for policies that no " +
        "Security Hub control covers: not an AWS mapping. AWS Config rules: " +
        "`https://docs.aws.amazon.com/config/latest/developerguide/<rule>.html` (read " + READ_ON + ").",
        "",
        "Sources:",
        "",
        ...sources,
        ...(notes.length === 0 ? [] : ["", "Notes:", "", ...notes]),
    ].join("\n");
}
