// What the engine imitation deals in: the stack a pack runs for, resources as the Analyzer service receives
// them, what comes back (diagnostics, remediations, the pack's catalogue), and the session's interface.
import type { EnforcementLevel, PolicyPackConfig } from "./config";

export interface StackIdentity {
    name: string;
    project: string;
    organization: string;
    tags?: Record<string, string>;
    /** Stack configuration, `project:key` to value, as `pulumi config` holds it (plaintext). */
    config?: Record<string, string>;
    dryRun?: boolean;
    configSecretKeys?: string[];
}

export interface AnalyzerResourceInput {
    urn: string;
    type: string;
    name: string;
    /** Wire-format values: secrets as secret signature objects, unknowns as sentinel strings (engine/properties.ts). */
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
    options?: {
        protect?: boolean;
        ignoreChanges?: string[];
        deleteBeforeReplace?: boolean;
        aliases?: string[];
        additionalSecretOutputs?: string[];
    };
}

export type Severity = "low" | "medium" | "high" | "critical" | "";

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    severity?: Severity;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: string;
    severity: string;
    message: string;
    remediationSteps: string;
    url: string;
    tags: string[];
    configSchema?: { properties: Record<string, any>; required?: string[] };
    /** "resource" or "stack" ("" when the pack does not say). */
    policyType: "resource" | "stack" | "";
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    description: string;
    policies: PolicyInfo[];
    initialConfig: PolicyPackConfig;
}

export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    /** The remediated properties in wire format (secrets stay secret signature objects). */
    properties?: Record<string, unknown>;
    diagnostic?: string;
}

/** Milliseconds from spawn to each step of the start-up. */
export interface StartTimings {
    /** Spawn to the port line on stdout. */
    port: number;
    /** Spawn to the GetAnalyzerInfo answer. */
    info: number;
    /** Spawn to the end of Configure (or of GetAnalyzerInfo for a publish-style boot). */
    ready: number;
}

export interface PackSession {
    readonly info: AnalyzerInfo;
    /** What was sent in Configure (reconciled). For a publish-style boot: what would have been sent. */
    readonly config: PolicyPackConfig;
    readonly timings: StartTimings;
    /** The pack process's id (for tests that prove it is gone after close). */
    readonly pid: number;
    /** The pack's gRPC port (the benchmark sends pre-encoded requests, so it times the pack, not the encoding). */
    readonly port: number;
    analyze(resource: AnalyzerResourceInput, options?: CallOptions): Promise<Diagnostic[]>;
    remediate(resource: AnalyzerResourceInput, options?: CallOptions): Promise<Remediation[]>;
    /**
     * What the engine does for one resource: Remediate, apply the last remediation's properties, then Analyze
     * the result. Returns the diagnostics, the remediations and the properties that were analyzed.
     */
    remediateAndAnalyze(resource: AnalyzerResourceInput, options?: CallOptions): Promise<{
        remediations: Remediation[];
        diagnostics: Diagnostic[];
        properties: Record<string, unknown>;
    }>;
    analyzeStack(resources: AnalyzerResourceInput[], options?: CallOptions): Promise<Diagnostic[]>;
    /**
     * Analyze with a request already encoded (engine/wire.ts RequestEncoder.analyzeRequest): the same bytes
     * analyze() would send, for callers that encode ahead and let go of the values.
     */
    analyzeEncoded(request: Uint8Array, options?: CallOptions): Promise<Diagnostic[]>;
    /** AnalyzeStack with a request already encoded (RequestEncoder.analyzeStackRequest). */
    analyzeStackEncoded(request: Uint8Array, options?: CallOptions): Promise<Diagnostic[]>;
    /** What the pack wrote to stderr so far (bounded). */
    stderr(): string;
    /** Cancel, then end the process and wait for it. Idempotent; never leaves a process behind. */
    close(): Promise<void>;
}

export interface StartOptions {
    packDir: string;
    /** Omit for a publish-style boot: GetAnalyzerInfo only, no ConfigureStack and no Configure. */
    stack?: StackIdentity;
    /** The user's policy config, parsed (engine/config.ts parsePolicyPackConfig). */
    policyConfig?: PolicyPackConfig;
    /** Extra environment for the pack process (over this process's environment). */
    env?: Record<string, string>;
    startTimeoutMs?: number;
    /**
     * The default deadline of every Analyze, AnalyzeStack and Remediate call, in milliseconds (none when
     * unset; a call's own `timeoutMs` wins). A call that misses it rejects with a CallTimeoutError and the
     * pack process is stopped: a pack stuck in one call is not trusted with the next.
     */
    callTimeoutMs?: number;
}

/** Options of one Analyze, AnalyzeStack or Remediate call. */
export interface CallOptions {
    /** Deadline in milliseconds (over the session's callTimeoutMs); see StartOptions.callTimeoutMs. */
    timeoutMs?: number;
}
