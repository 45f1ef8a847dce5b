// The behaviour every policy in the pack shares, in one place: the common config (`exclude`,
// `advisoryStackTags`), schema defaults, semantic config errors, unknown-safe property access, and
// containment of a policy's own bug so it cannot take the other policies (or the preview) down.
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { awsView, fromAwsView } from "./aws-native";
import { BROKER_TYPES } from "./broker";
import { shown } from "./display";
import {
    Exemption,
    exemptionFor,
    exemptionsOf,
    ExemptionStatus,
    exemptedMessage,
    expiredMessage,
    expiringMessage,
} from "./exemptions";
import { isExcluded, nameFromUrn } from "./glob";
import { CommonConfig, errorName, fullSchema, makeConfigReader, today } from "./policy-config";
import { restoreTrueTypes, trueType } from "./sdk-type-families";
import { BrokerProps, brokerProps, PlainObject, unwrap } from "./values";

/** The exemption that decides for a resource, if one names it. */
function exemptionOf(config: CommonConfig, name: string, urn: string, day: string):
    { entry: Exemption; status: ExemptionStatus } | undefined {
    if (!Array.isArray(config.exemptions) || config.exemptions.length === 0) {
        return undefined;
    }
    // The config object is cached per settings (makeConfigReader), so the entries are read once, not per resource.
    let entries = wellFormed.get(config.exemptions);
    if (!entries) {
        entries = exemptionsOf(config.exemptions);
        wellFormed.set(config.exemptions, entries);
    }
    return exemptionFor(entries, name, urn, day, config.exemptionWarningDays);
}
const wellFormed = new WeakMap<object, Exemption[]>();

/** An advisory notice, whatever the policy's level (the SDK takes a level per report). */
function reportAdvisory(description: string, report: ReportViolation, message: string, urn?: string): void {
    (report as unknown as (diagnostic: object) => void)({ message: `${description}\n${message}`, enforcementLevel: "advisory", urn });
}

export { CommonConfig, commonConfigSchema } from "./policy-config";

/** What every policy declares beside its logic, in the order the pack keeps. */
export interface PolicyMetadata {
    name: string;
    description: string;
    severity: Severity;
    enforcementLevel: EnforcementLevel;
    /** The policy's own settings; `exclude` and `advisoryStackTags` are added for every policy. */
    configSchema?: PolicyConfigSchema;
    remediationSteps: string;
    url: string;
    /** The checks this corresponds to elsewhere: Security Hub MQ.x, AWS Config, Checkov, Trivy. */
    tags: string[];
}

export interface ResourceContext<C> {
    name: string;
    urn: string;
    config: C & CommonConfig;
}

export interface BrokerPolicyDefinition<C> extends PolicyMetadata {
    /** The resource types judged as brokers (default BROKER_TYPES); every other resource is not applicable. */
    types?: readonly string[];
    /** Errors in settings that JSON schema cannot express (an unsafe regular expression, say). */
    validateConfig?: (config: C & CommonConfig) => string[];
    /**
     * Why the policy does not apply to this broker (an engine it has no rule for), or undefined when it does.
     * Reported to the engine as not-applicable rather than passing silently.
     */
    notApplicable?: (broker: BrokerProps) => string | undefined;
    /** The findings for one broker, each a message naming the property and the fix. Empty when compliant. */
    check: (broker: BrokerProps, context: ResourceContext<C>) => string[];
    /**
     * In-place fixes for the `remediate` enforcement level: mutate `broker` and return true when anything
     * changed. Only for properties whose change updates the broker in place, never one that replaces it.
     */
    remediate?: (broker: BrokerProps, context: ResourceContext<C>) => boolean;
}

export interface StackFinding {
    urn: string;
    message: string;
}

export interface StackContext<C> {
    config: C & CommonConfig;
    /** Whether a resource (by URN) is exempted by `exclude`. */
    isExcluded(urn: string): boolean;
    /**
     * The brokers to judge, in stack order: those of the policy's types not exempted by `exclude`. When a
     * check throws, the wrapper runs it again on each broker alone to find the one it fails on, so a check
     * selects its brokers here (never from `resources`) and reports on them.
     */
    brokers: readonly PolicyResource[];
    /** Every broker of the policy's types, excluded ones too: for relating brokers to each other (names). */
    allBrokers: readonly PolicyResource[];
}

export interface StackPolicyDefinition<C> extends PolicyMetadata {
    /** The resource types judged as brokers (default BROKER_TYPES); a stack without one is not applicable. */
    types?: readonly string[];
    validateConfig?: (config: C & CommonConfig) => string[];
    /**
     * Select (context.brokers), relate (their resources in the stack) and judge. Findings on a broker that is
     * not among context.brokers are dropped, so relating through context.allBrokers cannot report on them.
     */
    check: (resources: PolicyResource[], context: StackContext<C>) => StackFinding[];
}

/** A pack policy: the SDK's policy object plus what the CLI and tests read from it. */
export type PackResourcePolicy<C = any> = ResourceValidationPolicy & {
    configSchema: PolicyConfigSchema;
    /** The resource types the policy judges (the CLI lists exemptions on them). */
    types: readonly string[];
    validateConfig(config: Record<string, unknown>): string[];
    /** The policy's check on plain broker properties (for tests and the CLI). */
    check: (broker: PlainObject, context: ResourceContext<C>) => string[];
};
export type PackStackPolicy = StackValidationPolicy & {
    configSchema: PolicyConfigSchema;
    /** The resource types the policy judges as brokers (the CLI lists exemptions on them). */
    types: readonly string[];
    validateConfig(config: Record<string, unknown>): string[];
};
export type PackPolicy = PackResourcePolicy | PackStackPolicy;


/** A check's result, when it is the list of messages it must be; a bug otherwise (reported as one). */
function resourceFindings(result: unknown): string[] {
    if (!Array.isArray(result) || !result.every(f => typeof f === "string")) {
        throw new TypeError("check did not return a list of messages");
    }
    return result;
}

function stackFindings(result: unknown): StackFinding[] {
    if (!Array.isArray(result) || !result.every(f =>
        typeof f === "object" && f !== null && typeof f.urn === "string" && typeof f.message === "string")) {
        throw new TypeError("check did not return a list of findings");
    }
    return result;
}

function internalErrorMessage(policyName: string, e: unknown, resource = "this resource"): string {
    // Only the error's class: its message could quote a property value, and values may be secrets.
    return `${policyName} could not evaluate ${resource} (internal ${errorName(e)}), so it was not judged. ` +
        "Report this to the aws-mq-guardrails maintainers; to unblock, add the resource to this policy's `exclude`.";
}

/**
 * Throws the SDK's not-applicable signal for a resource or stack of no type the policy judges, without capturing
 * a stack trace: the SDK catches the error and keeps only its reason. A policy judging two types (aws and
 * aws-native) cannot use the SDK's one-type marker unless the pack's entry marks it with its family
 * (sdk-type-families.ts; not in a pack built from library.ts, nor on another SDK version), so it signals this for
 * every other resource; building the
 * trace was most of that cost (a CPU profile of 9,000 non-broker Analyze calls: about two thirds in the error's
 * constructor).
 */
function signalNotApplicable(notApplicable: (reason?: string) => never, reason: string): never {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/** The SDK's own not-applicable reason for a typed policy, naming every type. */
function notApplicableReason(types: readonly string[]): string {
    return `Policy only applies to resources of type ${types.map(t => `'${t}'`).join(" or ")}`;
}

/**
 * Marks a validation or remediation function with the one resource type it applies to, as the SDK's
 * `validateResourceOfType` does: the SDK's server then answers not-applicable for any other type before it
 * decodes the resource (Analyze, Remediate) or, for a stack policy, skips a stack without that type without
 * decoding anything (AnalyzeStack). The marker holds one type; with several, the function is left unmarked here
 * and the wrapper's own type check (after the SDK has decoded the resource) does the job, unless the pack's entry
 * marks it with its family (sdk-type-families.ts; the wrappers then read the true type with `trueType`).
 */
function typedFor<F extends object>(types: readonly string[], fn: F): F {
    // (Checked by tests/pack.spec.ts against the SDK's own server.)
    if (types.length === 1) {
        (fn as { __pulumiType?: string }).__pulumiType = types[0];
    }
    return fn;
}

function configErrorMessage(policyName: string, errors: string[]): string {
    return `The policy config of ${policyName} is invalid: ${errors.join("; ")}. ` +
        "Fix it in the --policy-pack-config file or the Pulumi Cloud policy group.";
}

function matchesAdvisoryStackTags(rule: unknown, stackTags: ReadonlyMap<string, string> | undefined): boolean {
    if (!rule || typeof rule !== "object" || !stackTags) {
        return false;
    }
    for (const [tag, values] of Object.entries(rule as Record<string, unknown>)) {
        const actual = stackTags.get(tag);
        if (actual !== undefined && Array.isArray(values) && values.includes(actual)) {
            return true;
        }
    }
    return false;
}

/** Reports a finding; on an advisory-tagged stack, as advisory whatever the configured level. */
function makeReporter(description: string, report: ReportViolation, advisory: boolean) {
    return (message: string, urn?: string) => {
        if (!advisory) {
            report(message, urn);
            return;
        }
        // The SDK accepts a diagnostic object at run time; its typings only declare the string form.
        (report as unknown as (diagnostic: object) => void)({
            message: `${description}\n${message}`,
            enforcementLevel: "advisory",
            urn,
        });
    };
}

function metadataOf(def: PolicyMetadata, schema: PolicyConfigSchema) {
    return {
        name: def.name,
        description: def.description,
        severity: def.severity,
        enforcementLevel: def.enforcementLevel,
        configSchema: schema,
        remediationSteps: def.remediationSteps,
        url: def.url,
        tags: def.tags,
    };
}

/** A resource policy on aws:mq/broker:Broker with the pack's shared behaviour. */
export function brokerPolicy<C>(def: BrokerPolicyDefinition<C>): PackResourcePolicy<C> {
    const types = def.types ?? BROKER_TYPES;
    const isBroker = (type: string) => types.includes(type);
    const notThisType = notApplicableReason(types);
    const schema = fullSchema(def.configSchema);
    const readConfig = makeConfigReader<C>(schema, def.validateConfig);

    const contextOf = (args: ResourceValidationArgs) => {
        const { config, errors } = readConfig(args.getConfig<object>());
        const context: ResourceContext<C> = { name: args.name, urn: args.urn, config };
        return { context, errors, excluded: isExcluded(config.exclude, args.name, args.urn) };
    };

    const policy: PackResourcePolicy<C> = {
        ...metadataOf(def, schema),
        validateResource: typedFor(types, (args: ResourceValidationArgs, report: ReportViolation) => {
            const type = trueType(args.type, args.urn);
            if (!isBroker(type)) {
                // What the SDK answers before decoding when the marker is set (one type).
                signalNotApplicable(args.notApplicable, notThisType);
            }
            const { context, errors, excluded } = contextOf(args);
            if (excluded) {
                return;
            }
            const advisory = matchesAdvisoryStackTags(context.config.advisoryStackTags, args.stackTags);
            const reportFinding = makeReporter(def.description, report, advisory);
            if (errors.length > 0) {
                reportFinding(configErrorMessage(def.name, errors));
                return;
            }
            const exemption = exemptionOf(context.config, args.name, args.urn, today());
            if (exemption && exemption.status !== "expired") {
                if (exemption.status === "expiring") {
                    reportAdvisory(def.description, report, expiringMessage(exemption.entry, today()), args.urn);
                }
                // Throws the SDK's not-applicable signal: the exemption and its reason are on record.
                args.notApplicable(exemptedMessage(exemption.entry));
                return;
            }
            let findings: string[];
            let notApplicableReason: string | undefined;
            try {
                const broker = brokerProps(awsView(type, unwrap(args.props)));
                notApplicableReason = def.notApplicable?.(broker);
                findings = notApplicableReason ? [] : resourceFindings(def.check(broker, context));
            } catch (e) {
                findings = [internalErrorMessage(def.name, e)];
            }
            for (const finding of findings) {
                reportFinding(exemption ? expiredMessage(exemption.entry, finding) : finding);
            }
            if (notApplicableReason) {
                // Throws the SDK's not-applicable signal, which the server records for this policy.
                args.notApplicable(notApplicableReason);
            }
        }),
        validateConfig: (config: Record<string, unknown>) => readConfig(config).errors,
        check: (broker, context) => def.check(broker as BrokerProps, context),
        types,
    };
    if (def.remediate) {
        const remediate = def.remediate;
        policy.remediateResource = typedFor(types, (args: ResourceValidationArgs) => {
            const type = trueType(args.type, args.urn);
            if (!isBroker(type)) {
                return undefined;
            }
            const { context, errors, excluded } = contextOf(args);
            if (excluded || errors.length > 0 ||
                matchesAdvisoryStackTags(context.config.advisoryStackTags, args.stackTags)) {
                return undefined;
            }
            // An exempted resource is left as it is while its exemption holds.
            const exemption = exemptionOf(context.config, args.name, args.urn, today());
            if (exemption && exemption.status !== "expired") {
                return undefined;
            }
            // The raw object keeps secrets wrapped, so returning it keeps them secret.
            const raw = unwrap(args.props);
            const broker = brokerProps(awsView(type, raw));
            try {
                return remediate(broker, context) ? fromAwsView(type, raw, broker) : undefined;
            } catch {
                // Leave the resource as it is; Analyze reports the same bug as a finding.
                return undefined;
            }
        });
    }
    return policy;
}

/** A stack policy with the pack's shared behaviour; findings name the broker's or offender's URN. */
export function stackPolicy<C>(def: StackPolicyDefinition<C>): PackStackPolicy {
    const types = def.types ?? BROKER_TYPES;
    const schema = fullSchema(def.configSchema);
    const readConfig = makeConfigReader<C>(schema, def.validateConfig);
    return {
        ...metadataOf(def, schema),
        validateStack: typedFor(types, (args: StackValidationArgs, report: ReportViolation) => {
            // Select before anything else: a stack without a broker costs one pass over the types.
            restoreTrueTypes(args.resources);
            const allBrokers = args.resources.filter(r => types.includes(r.type));
            if (allBrokers.length === 0) {
                signalNotApplicable(args.notApplicable, notApplicableReason(types));
            }
            const { config, errors } = readConfig(args.getConfig<object>());
            const advisory = matchesAdvisoryStackTags(config.advisoryStackTags, args.stackTags);
            const reportFinding = makeReporter(def.description, report, advisory);
            if (errors.length > 0) {
                reportFinding(configErrorMessage(def.name, errors));
                return;
            }
            const day = today();
            const exemptions = new Map<string, ReturnType<typeof exemptionOf>>();
            const anyExemption = Array.isArray(config.exemptions) && config.exemptions.length > 0;
            const exemptionAt = (urn: string) => {
                if (!anyExemption) {
                    return undefined;
                }
                if (!exemptions.has(urn)) {
                    exemptions.set(urn, exemptionOf(config, nameFromUrn(urn), urn, day));
                }
                return exemptions.get(urn);
            };
            const listed = (urn: string) => isExcluded(config.exclude, nameFromUrn(urn), urn);
            // Exempted while the exemption holds: skipped as `exclude` skips, the finding dropped.
            const exempted = (urn: string) => {
                const e = exemptionAt(urn);
                return e !== undefined && e.status !== "expired";
            };
            const excluded = (urn: string) => listed(urn) || exempted(urn);
            const judged = allBrokers.filter(b => !excluded(b.urn));
            const brokerUrns = new Set(allBrokers.map(b => b.urn));
            // Resources an exemption about to expire spared a finding: each gets the advisory notice.
            const spared = new Set(allBrokers.filter(b => !listed(b.urn) && exemptionAt(b.urn)?.status === "expiring").map(b => b.urn));
            const run = (brokers: readonly PolicyResource[]) => {
                const judgedUrns = new Set(brokers.map(b => b.urn));
                const findings = stackFindings(def.check(args.resources, { config, isExcluded: excluded, brokers, allBrokers }));
                for (const f of findings) {
                    if (!listed(f.urn) && exemptionAt(f.urn)?.status === "expiring") {
                        spared.add(f.urn);
                    }
                }
                // A finding on a broker this run did not judge (reached by relating) is not this run's to make.
                return findings.filter(f => !excluded(f.urn) && (!brokerUrns.has(f.urn) || judgedUrns.has(f.urn)));
            };
            const findings = judgeContained(def.name, judged, run, reportFinding);
            for (const urn of spared) {
                reportAdvisory(def.description, report, expiringMessage(exemptionAt(urn)!.entry, day), urn);
            }
            for (const finding of findings) {
                const expired = exemptionAt(finding.urn);
                reportFinding(expired ? expiredMessage(expired.entry, finding.message) : finding.message, finding.urn);
            }
            const exemptedBrokers = allBrokers.filter(b => !listed(b.urn) && exempted(b.urn));
            if (judged.length === 0 && findings.length === 0 && exemptedBrokers.length > 0) {
                // Every broker is exempted or excluded: the policy did not apply to this stack, and says why.
                // (The SDK records not-applicable per policy and stack, not per resource.)
                const first = exemptionAt(exemptedBrokers[0].urn)!.entry;
                args.notApplicable(exemptedBrokers.length === 1 ? exemptedMessage(first)
                    : `all ${exemptedBrokers.length} brokers are exempted or excluded; the first ${exemptedMessage(first)}`);
            }
        }),
        validateConfig: (config: Record<string, unknown>) => readConfig(config).errors,
        types,
    };
}

/**
 * Runs a stack check on every judged broker; when it throws, finds the brokers it throws on (each alone)
 * and runs it again without them, so a bug on one broker loses only that broker's findings, reported as one
 * internal error naming it. When it fails whatever the broker (or only on brokers together), one internal
 * error for the policy, as before.
 */
function judgeContained(
    policyName: string,
    judged: readonly PolicyResource[],
    run: (brokers: readonly PolicyResource[]) => StackFinding[],
    reportFinding: (message: string, urn?: string) => void,
): StackFinding[] {
    let firstError: unknown;
    try {
        return run(judged);
    } catch (e) {
        firstError = e;
    }
    const failing: Array<{ broker: PolicyResource; error: unknown }> = [];
    const working: PolicyResource[] = [];
    for (const broker of judged) {
        try {
            run([broker]);
            working.push(broker);
        } catch (e) {
            failing.push({ broker, error: e });
        }
    }
    if (failing.length === 0 || working.length === 0) {
        reportFinding(internalErrorMessage(policyName, firstError));
        return [];
    }
    let findings: StackFinding[];
    try {
        findings = run(working);
    } catch (e) {
        reportFinding(internalErrorMessage(policyName, e));
        return [];
    }
    for (const { broker, error } of failing) {
        reportFinding(internalErrorMessage(policyName, error, `broker ${shown(nameFromUrn(broker.urn), 200)}`), broker.urn);
    }
    return findings;
}

/**
 * The plain properties of a stack resource (outputs), unknowns kept as values, in the shape of `@pulumi/aws`
 * (an aws-native resource's view, see aws-native.ts).
 */
export function propsOf(resource: PolicyResource): PlainObject {
    return awsView(resource.type, unwrap(resource.props));
}
