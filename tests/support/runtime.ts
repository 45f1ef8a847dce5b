// Calls a policy the way @pulumi/policy's server does: properties encoded as the engine sends them,
// decoded by the SDK's own deserializer, wrapped in its unknown-checking proxy; config reconciled as
// the engine does (schema defaults, then the test's settings, validated); stack tags as a read-only map.
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { reconcilePolicyPackConfig } from "../../engine/config";
import { toStruct } from "../engine/reference-encoder";
import { BROKER_TYPE } from "../../policies/lib/broker";
import type { PackPolicy, PackResourcePolicy, PackStackPolicy } from "../../policies/lib/policy";

export { secret, unknown } from "../../engine/properties";

// The SDK's internal modules, required as the server requires them (their typings are not published).
 
const { deserializeProperties, serializeProperties } = require("@pulumi/policy/deserialize");
 
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");

export interface Violation {
    message: string;
    enforcementLevel: string;
    urn?: string;
}

export interface CallOptions {
    name?: string;
    urn?: string;
    type?: string;
    /** The policy's settings as a user writes them in the config file. */
    config?: Record<string, unknown>;
    /** The enforcement level from config (defaults to the policy's own). */
    enforcementLevel?: string;
    stackTags?: Record<string, string>;
}

export function brokerUrn(name: string, stack = "prod", project = "messaging"): string {
    return `urn:pulumi:${stack}::${project}::aws:mq/broker:Broker::${name}`;
}

function policyConfig(policy: PackPolicy, options: CallOptions) {
    const reconciled = reconcilePolicyPackConfig(
        [{ name: policy.name, enforcementLevel: policy.enforcementLevel, configSchema: policy.configSchema }],
        undefined,
        {
            [policy.name]: {
                enforcementLevel: options.enforcementLevel as any,
                properties: options.config,
            },
        },
    );
    const entry = reconciled[policy.name];
    return { level: entry.enforcementLevel ?? "advisory", properties: entry.properties ?? {} };
}

function frozenTags(tags: Record<string, string> = {}): ReadonlyMap<string, string> {
    return Object.freeze(new Map(Object.entries(tags)));
}

/** Mirrors the SDK's reportViolation: a string gets the description prepended; an object is taken as is. */
function collector(policy: PackPolicy, level: string, sink: Violation[]): ReportViolation {
    return ((message: unknown, urn?: string) => {
        messagesSeen.push(typeof message === "object" && message !== null ? JSON.stringify(message) : String(message));
        if (typeof message === "object" && message !== null) {
            const d = message as { message?: string; enforcementLevel?: string; urn?: string };
            sink.push({ message: d.message ?? policy.description, enforcementLevel: d.enforcementLevel ?? level, urn: d.urn });
        } else {
            sink.push({ message: `${policy.description}${message ? "\n" + message : ""}`, enforcementLevel: level, urn });
        }
    }) as ReportViolation;
}

function resourceArgs(policy: PackPolicy, props: Record<string, unknown>, options: CallOptions, proxySecrets: boolean) {
    const name = options.name ?? "orders-broker";
    const { properties } = policyConfig(policy, options);
    return {
        type: options.type ?? BROKER_TYPE,
        props: unknownCheckingProxy(deserializeProperties(toStruct(props), proxySecrets)),
        urn: options.urn ?? brokerUrn(name),
        name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: frozenTags(options.stackTags),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({ ...properties }),
        notApplicable: (reason?: string) => { throw new NotApplicable(reason); },
    };
}

/** The SDK's not-applicable signal, as its server catches it. */
class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

/** Why a resource policy reports itself not applicable to a broker (the SDK's notApplicable), if it does. */
export async function notApplicableReason(policy: PackResourcePolicy, props: Record<string, unknown>, options: CallOptions = {}): Promise<string | undefined> {
    try {
        await analyzeOnce(policy, props, options, []);
    } catch (e) {
        if (e instanceof NotApplicable) {
            return e.reason;
        }
        throw e;
    }
    return undefined;
}

async function analyzeOnce(policy: PackResourcePolicy, props: Record<string, unknown>, options: CallOptions, sink: Violation[]): Promise<void> {
    const { level } = policyConfig(policy, options);
    // As the SDK's server: a validation marked with a type answers not-applicable for any other, undecoded.
    const pulumiType = Array.isArray(policy.validateResource) ? undefined : (policy.validateResource as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    const type = options.type ?? BROKER_TYPE;
    if (typeof pulumiType === "string" && pulumiType !== "" && type !== pulumiType) {
        throw new NotApplicable(`Policy only applies to resources of type '${pulumiType}'`);
    }
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const validate of validations) {
        await validate(resourceArgs(policy, props, options, false) as any, collector(policy, level === "remediate" ? "mandatory" : level, sink));
    }
}

/** The violations a resource policy reports for one resource. */
export async function analyze(policy: PackResourcePolicy, props: Record<string, unknown>, options: CallOptions = {}): Promise<Violation[]> {
    const { level } = policyConfig(policy, options);
    if (level === "disabled") {
        return [];
    }
    const violations: Violation[] = [];
    try {
        await analyzeOnce(policy, props, options, violations);
    } catch (e) {
        // As the SDK's server: a not-applicable policy reports nothing for this resource.
        if (!(e instanceof NotApplicable)) {
            throw e;
        }
    }
    return violations;
}

/** What remediation returns, serialized back as the SDK sends it (secrets as signature objects). */
export async function remediate(policy: PackResourcePolicy, props: Record<string, unknown>, options: CallOptions = {}): Promise<Record<string, unknown> | undefined> {
    if (!policy.remediateResource) {
        return undefined;
    }
    const result = await policy.remediateResource(resourceArgs(policy, props, options, true) as any);
    return result ? await serializeProperties(result) : undefined;
}

/** A resource of a stack as a test writes it: its outputs and who feeds which input. */
export interface StackResource {
    urn: string;
    type: string;
    props: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    parent?: string;
    /** The provider resource the SDK attaches (its inputs as props), e.g. an aws provider with a region. */
    provider?: { urn: string; type: string; name: string; props: Record<string, unknown> };
}

/** The violations a stack policy reports, with resources linked as the SDK links them (by URN). */
export async function analyzeStack(policy: PackStackPolicy, resources: StackResource[], options: CallOptions = {}): Promise<Violation[]> {
    const { level, properties } = policyConfig(policy, options);
    if (level === "disabled") {
        return [];
    }
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map(r => {
        const resource = {
            type: r.type,
            urn: r.urn,
            name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
            props: unknownCheckingProxy(deserializeProperties(toStruct(r.props), false)),
            opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return { source: r, resource };
    });
    for (const { source, resource } of built) {
        if (source.provider) {
            const { urn, type, name, props } = source.provider;
            resource.provider = { urn, type, name, props: unknownCheckingProxy(deserializeProperties(toStruct(props), false)) };
        }
        if (source.parent && byUrn.has(source.parent)) {
            resource.parent = byUrn.get(source.parent);
        }
        resource.dependencies = (source.dependencies ?? []).map(u => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
        for (const [key, urns] of Object.entries(source.propertyDependencies ?? {})) {
            resource.propertyDependencies[key] = urns.map(u => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
        }
    }
    const violations: Violation[] = [];
    // As the SDK's server: a stack without the type a typed policy names is skipped before decoding.
    const pulumiType = (policy.validateStack as { __pulumiType?: unknown }).__pulumiType;
    if (typeof pulumiType === "string" && pulumiType !== "" && !resources.some(r => r.type === pulumiType)) {
        return [];
    }
    try {
        await policy.validateStack({
            resources: built.map(b => b.resource),
            stackTags: frozenTags(options.stackTags),
            getConfig: () => ({ ...properties }),
            notApplicable: (reason?: string) => { throw new NotApplicable(reason); },
        } as any, collector(policy, level === "remediate" ? "mandatory" : level, violations));
    } catch (e) {
        // As the SDK's server: a not-applicable stack policy reports nothing.
        if (!(e instanceof NotApplicable)) {
            throw e;
        }
    }
    return violations;
}

/** Every password a test hands to a policy, so the pack-wide spec can check no message ever shows one. */
export const passwordsSeen = new Set<string>();

/** Every message any policy reported in this test run. */
export const messagesSeen: string[] = [];

/** Registers a test password (so the pack-wide spec checks it never appears in a message) and returns it. */
export function testPassword(value: string): string {
    passwordsSeen.add(value);
    return value;
}
