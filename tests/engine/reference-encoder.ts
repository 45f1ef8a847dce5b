// The reference encoder: the Analyze, Remediate and AnalyzeStack requests as google-protobuf messages, built
// with the generated setters and toStruct (below), as engine/session.ts built them before
// engine/wire.ts wrote the bytes directly. Test code only: tests/cli/wire.spec.ts holds wire.ts to
// `serializeBinary()` of these, byte for byte.
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { AnalyzerResourceInput } from "../../engine/types";

export type { AnalyzerResourceInput } from "../../engine/types";

/** Drops top-level keys the engine keeps for itself (`__defaults`, `__meta`, ...). */
export function withoutInternalKeys(props: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
        if (!key.startsWith("__") && value !== undefined) {
            result[key] = value;
        }
    }
    return result;
}

/** JSON-clean values only: protobuf Struct has no undefined, so drop it the way the engine's marshaller does. */
function clean(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(v => (v === undefined ? null : clean(v)));
    }
    if (typeof value === "object" && value !== null) {
        const result: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                result[k] = clean(v);
            }
        }
        return result;
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
        return null;
    }
    return value;
}

export interface StructOptions {
    /**
     * Keep the `__` keys. The engine skips them for Analyze, AnalyzeStack and provider properties
     * (`SkipInternalKeys: true`) but sends them to Remediate (`SkipInternalKeys: false`).
     */
    keepInternalKeys?: boolean;
}

export function toStruct(props: Record<string, unknown>, options: StructOptions = {}): Struct {
    const kept = options.keepInternalKeys ? props : withoutInternalKeys(props);
    return Struct.fromJavaScript(clean(kept) as Record<string, any>);
}

function resourceOptions(resource: AnalyzerResourceInput): analyzerpb.AnalyzerResourceOptions {
    const o = resource.options ?? {};
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(o.protect ?? false);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    opts.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
    opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    // The engine always sends custom timeouts (zero when none are set) and the parent.
    opts.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
    if (resource.parent) {
        opts.setParent(resource.parent);
    }
    return opts;
}

function providerResource(resource: AnalyzerResourceInput): analyzerpb.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const provider = new analyzerpb.AnalyzerProviderResource();
    provider.setUrn(resource.provider.urn);
    provider.setType(resource.provider.type);
    provider.setName(resource.provider.name);
    provider.setProperties(toStruct(resource.provider.properties ?? {}));
    return provider;
}

function analyzeRequest(resource: AnalyzerResourceInput, keepInternalKeys: boolean): analyzerpb.AnalyzeRequest {
    const req = new analyzerpb.AnalyzeRequest();
    req.setUrn(resource.urn);
    req.setType(resource.type);
    req.setName(resource.name);
    req.setProperties(toStruct(resource.properties ?? {}, { keepInternalKeys }));
    req.setOptions(resourceOptions(resource));
    const provider = providerResource(resource);
    if (provider) {
        req.setProvider(provider);
    }
    return req;
}

/**
 * The AnalyzeRequest the engine sends for Analyze (`__` keys skipped) or Remediate (kept), as a
 * google-protobuf message. The session sends engine/wire.ts's bytes instead (written directly, much
 * cheaper); tests/cli/wire.spec.ts holds them to `serializeBinary()` of this, byte for byte.
 */
export function encodeAnalyzeRequest(resource: AnalyzerResourceInput, rpc: "Analyze" | "Remediate" = "Analyze"): analyzerpb.AnalyzeRequest {
    return analyzeRequest(resource, rpc === "Remediate");
}

/** The AnalyzerResource the engine sends in AnalyzeStack, as a google-protobuf message (the reference for engine/wire.ts). */
export function encodeStackResource(resource: AnalyzerResourceInput): analyzerpb.AnalyzerResource {
    return stackResource(resource);
}

function stackResource(resource: AnalyzerResourceInput): analyzerpb.AnalyzerResource {
    const r = new analyzerpb.AnalyzerResource();
    r.setUrn(resource.urn);
    r.setType(resource.type);
    r.setName(resource.name);
    r.setProperties(toStruct(resource.properties ?? {}));
    r.setOptions(resourceOptions(resource));
    const provider = providerResource(resource);
    if (provider) {
        r.setProvider(provider);
    }
    r.setParent(resource.parent ?? "");
    r.setDependenciesList(resource.dependencies ?? []);
    const deps = r.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        // The engine skips properties that have no dependencies.
        if (urns.length > 0) {
            deps.set(key, new analyzerpb.AnalyzerPropertyDependencies().setUrnsList(urns));
        }
    }
    return r;
}
