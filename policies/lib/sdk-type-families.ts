// SDK glue: the SDK's one-type fast path for policies that judge one resource under two providers. Installed by
// index.ts (the pack's entry) before the PolicyPack serves; never by library.ts, whose users build their own pack.
//
// @pulumi/policy's server (1.21.0, server.js makeAnalyzeRpcFun, makeRemediateRpcFun, makeAnalyzeStackRpcFun)
// answers "not applicable" without decoding anything when a policy's function carries a `__pulumiType` marker
// and the resource's type, as the request's getType() returns it, is not the marker; a stack policy is skipped
// when no resource's getType() equals it. The marker is ONE string. Every broker and configuration policy of
// this pack judges two types (aws:mq/broker:Broker and aws-native:amazonmq:Broker, and the two Configurations),
// so unmarked, the SDK decodes every resource of every stack for each of them before the policy can say "not a
// broker" (BENCHMARKS.md: about 2x the typed floor's CPU on a stack without a broker).
//
// What this does, with nothing that depends on timing (requests interleave in the SDK's handlers):
// - A *family* is the type list of a policy that judges two or more types. Its marker is the list written so the
//   SDK's quoting of one type reads as the list ("aws:mq/broker:Broker' or 'aws-native:amazonmq:Broker"): the
//   SDK's own reason, "Policy only applies to resources of type '<marker>'", is then the pack's reason word for word.
// - The request classes the server reads (AnalyzeRequest, for Analyze and Remediate; AnalyzerResource, for each
//   resource of AnalyzeStack) answer getType() for a member type with its family's marker. The SDK's comparison
//   then holds for every member and for nothing else: a KMS key is not applicable before it is decoded, a broker of
//   either provider is judged.
// - The policy wrappers (policy.ts) take the true type back with `trueType(type, urn)`: getType remembers it per
//   URN (a URN names its type, so one URN has one type; the map holds only brokers and configurations).
// Installed only when it is safe: the installed @pulumi/policy is the tested version (sdk-version.ts), the request
// classes have the methods read here, and no type is in two families or also a policy's single type (that
// policy's marker would then never match). Otherwise nothing changes and those policies stay unmarked.
// The upstream fix this works around: let `__pulumiType` be a list (getPulumiType and its three comparisons in
// server.js); then this file goes. tests/sdk-type-families.spec.ts runs the SDK's own handlers with it.
import * as path from "path";
import { sdkVersion, TESTED_SDK_VERSION } from "./sdk-version";

interface Typed {
    types: readonly string[];
    validateResource?: unknown;
    remediateResource?: unknown;
    validateStack?: unknown;
}

interface RequestPrototype {
    getType(): string;
    getUrn(): string;
}

const ORIGINAL = Symbol.for("aws-mq-guardrails.sdkTypeFamilies");

/** Member type -> its family's marker, while installed. */
const markerOf = new Map<string, string>();
/** Marker -> the family's first type, the answer when a URN was never seen (not reached by the SDK's handlers). */
const firstOf = new Map<string, string>();
/** URN -> true type, for the members getType has answered with a marker. */
const typeOfUrn = new Map<string, string>();

/** The marker of a family: its types as the SDK quotes one type, so the SDK's reason names them all. */
export function familyMarker(types: readonly string[]): string {
    return types.join("' or '");
}

/** The type a policy wrapper judges: the true type behind a family's marker, else `type` itself. */
export function trueType(type: string, urn: string): string {
    if (markerOf.size === 0 || !firstOf.has(type)) {
        return type;
    }
    return typeOfUrn.get(urn) ?? firstOf.get(type)!;
}

/** The families of the policies' type lists, or undefined when one type would be in two (unsafe to install). */
function familiesOf(policies: readonly Typed[]): Map<string, string> | undefined {
    const marker = new Map<string, string>();
    const single = new Set<string>();
    for (const p of policies) {
        if (p.types.length === 1) {
            single.add(p.types[0]);
            continue;
        }
        const m = familyMarker(p.types);
        for (const t of p.types) {
            if ((marker.get(t) ?? m) !== m) {
                return undefined;
            }
            marker.set(t, m);
        }
    }
    return [...single].some(t => marker.has(t)) ? undefined : marker;
}

/**
 * The SDK's request classes, when they are the ones its server.js loads: the same file of @pulumi/pulumi's protobuf
 * code resolved from here and from @pulumi/policy (a nested copy of @pulumi/pulumi under @pulumi/policy would
 * leave the SDK's own classes unpatched while the policies carry the marker, and brokers would go unjudged).
 */
function requestPrototypes(): RequestPrototype[] | undefined {
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
        const ours = require.resolve("@pulumi/pulumi/proto/analyzer_pb");
        if (require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }) !== ours) {
            return undefined;
        }
        // A literal specifier: scripts/stage-pack.js derives the published pack's dependencies from them.
        const pb = require("@pulumi/pulumi/proto/analyzer_pb");
        const protos = [pb.AnalyzeRequest?.prototype, pb.AnalyzerResource?.prototype];
        return protos.every(p => typeof p?.getType === "function" && typeof p?.getUrn === "function") ? protos : undefined;
    } catch {
        return undefined;
    }
}

function patch(proto: RequestPrototype): void {
    const own = proto as unknown as Record<symbol, unknown>;
    if (own[ORIGINAL]) {
        return;
    }
    const original = proto.getType;
    own[ORIGINAL] = original;
    proto.getType = function (this: RequestPrototype) {
        const type = original.call(this);
        const marker = markerOf.get(type);
        if (marker === undefined) {
            return type;
        }
        typeOfUrn.set(this.getUrn(), type);
        return marker;
    };
}

/**
 * Gives every policy that judges a family of types the family's marker, and makes the SDK's request classes
 * answer a member's type with it. Idempotent. Returns whether it is in place (`version` is for tests).
 */
export function installTypeFamilies(policies: readonly Typed[], version: string | undefined = sdkVersion()): boolean {
    if (version !== TESTED_SDK_VERSION) {
        return false;
    }
    const families = familiesOf(policies);
    const protos = requestPrototypes();
    if (!families || !protos) {
        return false;
    }
    for (const [type, marker] of families) {
        markerOf.set(type, marker);
        if (!firstOf.has(marker)) {
            firstOf.set(marker, type);
        }
    }
    protos.forEach(patch);
    for (const p of policies) {
        if (p.types.length < 2) {
            continue;
        }
        for (const fn of [p.validateResource, p.remediateResource, p.validateStack]) {
            if (typeof fn === "function") {
                (fn as { __pulumiType?: string }).__pulumiType = familyMarker(p.types);
            }
        }
    }
    return true;
}

/** Puts the SDK's request classes and the policies' markers back as they were (for tests). */
export function uninstallTypeFamilies(policies: readonly Typed[]): void {
    for (const proto of requestPrototypes() ?? []) {
        const own = proto as unknown as Record<symbol, unknown>;
        const original = own[ORIGINAL];
        if (typeof original === "function") {
            proto.getType = original as () => string;
            delete own[ORIGINAL];
        }
    }
    for (const p of policies) {
        for (const fn of [p.validateResource, p.remediateResource, p.validateStack]) {
            if (typeof fn === "function" && p.types.length > 1) {
                delete (fn as { __pulumiType?: string }).__pulumiType;
            }
        }
    }
    markerOf.clear();
    firstOf.clear();
    typeOfUrn.clear();
}

/** Gives each resource of a stack whose type is a family's marker its true type back (the SDK's objects, per call). */
export function restoreTrueTypes(resources: readonly { type: string; urn: string }[]): void {
    if (markerOf.size === 0) {
        return;
    }
    for (const r of resources) {
        if (firstOf.has(r.type)) {
            r.type = trueType(r.type, r.urn);
        }
    }
}
