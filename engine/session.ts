// Runs a policy pack the way the Pulumi engine does and drives it over the Analyzer gRPC protocol.
//
// Launch (CLI 3.221+, Node.js language host): `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js
// <engine-address> <absolute pack dir>` with the pack as working directory and the environment of the engine's
// `constructEnv` (PULUMI_CONFIG and the stack, project, organization and dry-run variables); the first stdout line
// is the port. Then, in the engine's order: Handshake (UNIMPLEMENTED is fine), ConfigureStack, GetAnalyzerInfo,
// config reconciliation (engine/config.ts), Configure, Remediate and Analyze per resource, AnalyzeStack once,
// Cancel. Properties are marshalled as the engine marshals them (engine/properties.ts): secrets kept as the secret
// signature object, unknowns as the unknown sentinels, `__` keys skipped for Analyze and AnalyzeStack (Remediate
// keeps them, as the engine's `SkipInternalKeys: false` does there). The requests go out as bytes written by
// engine/wire.ts, identical to google-protobuf's serialization of the messages encodeAnalyzeRequest and
// encodeStackResource build (tests/cli/wire.spec.ts), at a fraction of the cost.
//
// The engine address: run-policy-pack drops its first argument and @pulumi/pulumi only talks to an engine named by
// PULUMI_NODEJS_ENGINE, which the engine does not set for policy packs. The address is still a live Engine service
// (Log and friends, in this process), as the engine's host server is, so a future SDK that dials it works.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EnforcementLevel, PolicyPackConfig, reconcilePolicyPackConfig } from "./config";
import { toStruct } from "./properties";
import { RequestEncoder } from "./wire";

export { PolicyConfigError } from "./config";
export type { PolicyPackConfig } from "./config";

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
    analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]>;
    remediate(resource: AnalyzerResourceInput): Promise<Remediation[]>;
    /**
     * What the engine does for one resource: Remediate, apply the last remediation's properties, then Analyze
     * the result. Returns the diagnostics, the remediations and the properties that were analyzed.
     */
    remediateAndAnalyze(resource: AnalyzerResourceInput): Promise<{
        remediations: Remediation[];
        diagnostics: Diagnostic[];
        properties: Record<string, unknown>;
    }>;
    analyzeStack(resources: AnalyzerResourceInput[]): Promise<Diagnostic[]>;
    /**
     * Analyze with a request already encoded (engine/wire.ts RequestEncoder.analyzeRequest): the same bytes
     * analyze() would send, for callers that encode ahead and let go of the values.
     */
    analyzeEncoded(request: Uint8Array): Promise<Diagnostic[]>;
    /** AnalyzeStack with a request already encoded (RequestEncoder.analyzeStackRequest). */
    analyzeStackEncoded(request: Uint8Array): Promise<Diagnostic[]>;
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
}

/** The engine raises gRPC's message limit from 4 MB to 400 MB for analyzers. */
const MAX_MESSAGE_SIZE = 400 * 1024 * 1024;
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE_SIZE,
    "grpc.max_send_message_length": MAX_MESSAGE_SIZE,
};
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STDERR_LIMIT = 64 * 1024;
const RUN_POLICY_PACK = path.join("node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js");
/**
 * Preloaded into the pack's node: ends the pack when this process is gone. The engine's own plugins outlive a
 * killed CLI; here a test runner killed on a timeout (SIGTERM/SIGKILL, which skip the exit hook below) would leave
 * a gRPC server per pack running forever. Polls the parent pid twice a second, unref'd, so it never keeps the pack
 * alive and touches nothing the pack does.
 */
const ORPHAN_WATCHDOG = "data:text/javascript,const parent=process.ppid;" +
    "setInterval(()=>{if(process.ppid!==parent)process.exit(0)},500).unref();";

// ---------------------------------------------------------------------------------------------------------------
// Process bookkeeping: whatever happens to the caller, no pack process outlives this one.

const liveProcesses = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
    liveProcesses.add(child);
    child.once("exit", () => liveProcesses.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const p of liveProcesses) {
                try {
                    p.kill("SIGKILL");
                } catch {
                    // Already gone.
                }
            }
        });
    }
}

/** The ids of pack processes this module started that are still running. */
export function livePackPids(): number[] {
    return [...liveProcesses].map(p => p.pid).filter((pid): pid is number => typeof pid === "number");
}

// ---------------------------------------------------------------------------------------------------------------
// PulumiPolicy.yaml: the engine loads it before anything else; its `version` wins over the pack's.

interface PolicyProject {
    runtime: string;
    version?: string;
}

function scalar(text: string): string {
    const trimmed = text.replace(/\s+#.*$/, "").trim();
    const quoted = /^(["'])(.*)\1$/.exec(trimmed);
    return quoted ? quoted[2] : trimmed;
}

/** Reads the top-level `runtime` (string or `{name}`) and `version` of PulumiPolicy.yaml. */
export function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`failed to load Pulumi policy project located at "${packDir}": ` +
            `${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no PulumiPolicy.yaml found" : (e as Error).message}`);
    }
    let runtime = "";
    let version: string | undefined;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const match = /^([A-Za-z_][\w-]*)\s*:(.*)$/.exec(lines[i]);
        if (!match) {
            continue;
        }
        const [, key, rest] = match;
        if (key === "runtime") {
            runtime = scalar(rest);
            if (runtime === "") {
                for (let j = i + 1; j < lines.length && /^\s+\S|^\s*$/.test(lines[j]); j++) {
                    const name = /^\s+name\s*:(.*)$/.exec(lines[j]);
                    if (name) {
                        runtime = scalar(name[1]);
                    }
                }
            }
        } else if (key === "version") {
            version = scalar(rest) || undefined;
        }
    }
    if (runtime === "") {
        throw new Error(`failed to load Pulumi policy project located at "${packDir}": project is missing a 'runtime' attribute`);
    }
    return { runtime, version };
}

// ---------------------------------------------------------------------------------------------------------------
// The engine side: a minimal Engine service whose address the pack receives.

interface EngineServer {
    address: string;
    logs: string[];
    shutdown(): void;
}

async function startEngineServer(): Promise<EngineServer> {
    const server = new grpc.Server();
    const logs: string[] = [];
    const Empty = (enginerpc.EngineService.log as any).responseType;
    server.addService(enginerpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, any>, callback: grpc.sendUnaryData<any>) => {
            if (logs.length < 1000) {
                logs.push(call.request.getMessage());
            }
            callback(null, new Empty());
        },
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.GetRootResourceResponse>) =>
            callback(null, new enginepb.GetRootResourceResponse()),
        setRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.SetRootResourceResponse>) =>
            callback(null, new enginepb.SetRootResourceResponse()),
        startDebugging: (_call: unknown, callback: grpc.sendUnaryData<any>) => callback(null, new Empty()),
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<enginepb.RequirePulumiVersionResponse>) =>
            callback(null, new enginepb.RequirePulumiVersionResponse()),
    } as any);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    return { address: `127.0.0.1:${port}`, logs, shutdown: () => server.forceShutdown() };
}

// ---------------------------------------------------------------------------------------------------------------
// The pack process.

/** The environment the engine's `constructEnv` gives a Node.js policy pack. */
export function packEnvironment(stack: StackIdentity | undefined): Record<string, string> {
    const env: Record<string, string> = {};
    const set = (key: string, value: string | undefined) => {
        if (value) {
            env[key] = value;
        }
    };
    if (stack?.config && Object.keys(stack.config).length > 0) {
        set("PULUMI_CONFIG", JSON.stringify(stack.config));
    }
    if (stack) {
        const dryRun = String(stack.dryRun ?? false);
        set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
        set("PULUMI_NODEJS_PROJECT", stack.project);
        set("PULUMI_NODEJS_STACK", stack.name);
        set("PULUMI_NODEJS_DRY_RUN", dryRun);
        set("PULUMI_ORGANIZATION", stack.organization);
        set("PULUMI_PROJECT", stack.project);
        set("PULUMI_STACK", stack.name);
        set("PULUMI_DRY_RUN", dryRun);
    }
    return env;
}

class PackProcess {
    readonly child: ChildProcess;
    readonly spawnedAt = performance.now();
    private stderrText = "";
    private stdoutRest = "";
    private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    readonly exited: Promise<void>;

    constructor(packDir: string, engineAddress: string, env: Record<string, string>) {
        this.child = spawn(process.execPath, ["--import", ORPHAN_WATCHDOG, path.join(packDir, RUN_POLICY_PACK), engineAddress, packDir], {
            cwd: packDir,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        track(this.child);
        this.child.stderr!.setEncoding("utf8");
        this.child.stderr!.on("data", (chunk: string) => {
            this.stderrText = (this.stderrText + chunk).slice(-STDERR_LIMIT);
        });
        this.exited = new Promise(resolve => {
            this.child.once("exit", (code, signal) => {
                this.exitInfo = { code, signal };
                resolve();
            });
            this.child.once("error", err => {
                this.stderrText += `\n${err.message}`;
                this.exitInfo = this.exitInfo ?? { code: null, signal: null };
                resolve();
            });
        });
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    get stderr(): string {
        return this.stderrText.trim();
    }

    get hasExited(): boolean {
        return this.exitInfo !== undefined;
    }

    /** Why the process is gone, with what it wrote to stderr. */
    exitError(context: string): Error {
        const info = this.exitInfo;
        const how = !info ? "is not running" :
            info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
        const stderr = this.stderr;
        return new Error(`${context}: the policy pack ${how}${stderr ? `:\n${stderr}` : " (no output on stderr)"}`);
    }

    /** The port from the first stdout line, as the engine reads it. */
    readPort(timeoutMs: number): Promise<number> {
        return new Promise((resolve, reject) => {
            const stdout = this.child.stdout!;
            stdout.setEncoding("utf8");
            let settled = false;
            const finish = (err: Error | undefined, port?: number) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                stdout.removeListener("data", onData);
                // Keep draining stdout so the pack never blocks on a full pipe (the engine logs these lines).
                stdout.on("data", () => undefined);
                if (err) {
                    reject(err);
                } else {
                    resolve(port!);
                }
            };
            const onData = (chunk: string) => {
                this.stdoutRest += chunk;
                const newline = this.stdoutRest.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                const line = this.stdoutRest.slice(0, newline).trim();
                const port = Number(line);
                if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
                    finish(new Error(`could not read the policy pack's port: the first line of its output is ` +
                        `${JSON.stringify(line.slice(0, 200))}, not a port number`));
                } else {
                    finish(undefined, port);
                }
            };
            stdout.on("data", onData);
            const timer = setTimeout(() => finish(new Error(
                `the policy pack did not report its port within ${timeoutMs} ms` +
                (this.stderr ? `:\n${this.stderr}` : ""))), timeoutMs);
            this.exited.then(() => {
                // Let a port line that arrived with the exit be read first.
                setImmediate(() => finish(this.exitError("starting the policy pack")));
            });
        });
    }

    /** Ends the process: SIGTERM, then SIGKILL if it is still there after a grace period. Waits for the exit. */
    async stop(graceMs = 2000): Promise<void> {
        if (this.hasExited || this.child.exitCode !== null || this.child.signalCode !== null) {
            await this.exited;
            return;
        }
        this.child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const killed = await Promise.race([
            this.exited.then(() => false),
            new Promise<boolean>(resolve => {
                timer = setTimeout(() => resolve(true), graceMs);
            }),
        ]);
        clearTimeout(timer);
        if (killed) {
            this.child.kill("SIGKILL");
            await this.exited;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Proto conversions.

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

function convertInfo(resp: analyzerpb.AnalyzerInfo, yamlVersion: string | undefined): AnalyzerInfo {
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

function convertDiagnostics(resp: analyzerpb.AnalyzeResponse, yamlVersion: string | undefined): Diagnostic[] {
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

/** The engine's marshalMap: plain JSON (config values are never secrets or unknowns here). */
function plainStruct(value: Record<string, unknown> | undefined): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

function configureRequest(config: PolicyPackConfig): analyzerpb.ConfigureAnalyzerRequest {
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

// ---------------------------------------------------------------------------------------------------------------
// The client.

type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>,
    callback: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

class Connection {
    readonly client: analyzerrpc.AnalyzerClient;

    constructor(port: number, private readonly pack: PackProcess) {
        this.client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    }

    /** One unary call; if the pack dies meanwhile, the error says so and carries its stderr. */
    call<Req, Res>(name: string, method: Unary<Req, Res>, req: Req, deadlineMs?: number): Promise<Res> {
        if (this.pack.hasExited) {
            return Promise.reject(this.pack.exitError(name));
        }
        return new Promise<Res>((resolve, reject) => {
            const options: Partial<grpc.CallOptions> = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
            method.call(this.client, req, new grpc.Metadata(), options, (err, res) => {
                if (!err) {
                    resolve(res);
                    return;
                }
                if (err.code === grpc.status.UNAVAILABLE || this.pack.hasExited) {
                    // Give the exit event a moment, so the message can say why the pack is gone.
                    void Promise.race([this.pack.exited, new Promise(r => setTimeout(r, 200))]).then(() => {
                        reject(this.pack.hasExited ? this.pack.exitError(name) : rpcError(name, err));
                    });
                    return;
                }
                reject(rpcError(name, err));
            });
        });
    }

    /**
     * One unary call with a request already serialized (engine/wire.ts): the bytes go out as they are, the
     * response is decoded by the service's own deserializer.
     */
    callEncoded<Res>(name: string, definition: grpc.MethodDefinition<any, Res>, request: Uint8Array, deadlineMs?: number): Promise<Res> {
        const raw: Unary<Uint8Array, Res> = (req, metadata, options, callback) =>
            this.client.makeUnaryRequest(definition.path, (b: Uint8Array) => Buffer.isBuffer(b) ? b : Buffer.from(b),
                definition.responseDeserialize, req, metadata, options, callback as grpc.requestCallback<Res>);
        return this.call(name, raw, request, deadlineMs);
    }

    close(): void {
        this.client.close();
    }
}

export class AnalyzerRpcError extends Error {
    constructor(readonly rpc: string, readonly code: grpc.status, details: string) {
        super(`${rpc} failed: ${details}`);
        this.name = "AnalyzerRpcError";
    }
}

function rpcError(name: string, err: grpc.ServiceError): AnalyzerRpcError {
    return new AnalyzerRpcError(name, err.code, err.details || err.message);
}

function isUnimplemented(e: unknown): boolean {
    return e instanceof AnalyzerRpcError && e.code === grpc.status.UNIMPLEMENTED;
}

function emptyRequest(): any {
    const Empty = (analyzerrpc.AnalyzerService.getAnalyzerInfo as any).requestType;
    return new Empty();
}

// ---------------------------------------------------------------------------------------------------------------
// Boot.

export interface BootedPack {
    readonly port: number;
    readonly info: AnalyzerInfo;
    readonly timings: StartTimings;
    readonly pid: number;
    /** performance.now() at spawn. */
    readonly spawnedAt: number;
    /** Internal: the live connection, for startPack. */
    readonly connection: Connection;
    readonly yamlVersion: string | undefined;
    stderr(): string;
    close(): Promise<void>;
}

/**
 * Launches the pack and brings it to a GetAnalyzerInfo answer: spawn, port line, Handshake (the engine does it
 * for every plugin it starts, publish included), then ConfigureStack when a stack is given, then GetAnalyzerInfo.
 */
export async function bootPack(packDir: string, env: Record<string, string> = {}, options: {
    stack?: StackIdentity;
    startTimeoutMs?: number;
} = {}): Promise<BootedPack> {
    const absDir = path.resolve(packDir);
    const project = readPolicyProject(absDir);
    if (project.runtime !== "nodejs") {
        throw new Error(`policy pack "${absDir}" has runtime "${project.runtime}"; only nodejs packs can be run here`);
    }
    if (!fs.existsSync(path.join(absDir, RUN_POLICY_PACK))) {
        throw new Error("it looks like the policy pack's dependencies are not installed; " +
            `try running npm install or yarn install in "${absDir}"`);
    }
    const engine = await startEngineServer();
    let pack: PackProcess;
    try {
        pack = new PackProcess(absDir, engine.address, { ...packEnvironment(options.stack), ...env });
    } catch (e) {
        // spawn can throw at once (a NUL byte in the environment, say): the engine server must not outlive it.
        engine.shutdown();
        throw e;
    }
    let connection: Connection | undefined;
    let closing: Promise<void> | undefined;
    const close = () => {
        closing = closing ?? (async () => {
            try {
                if (connection && !pack.hasExited) {
                    try {
                        // The engine cancels a plugin before it closes it; policy packs answer UNIMPLEMENTED.
                        await connection.call("Cancel", connection.client.cancel, emptyRequest(), 2000);
                    } catch {
                        // Not implemented, or the pack is already gone.
                    }
                }
            } finally {
                connection?.close();
                await pack.stop();
                engine.shutdown();
            }
        })();
        return closing;
    };
    try {
        const port = await pack.readPort(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
        const portAt = performance.now();
        connection = new Connection(port, pack);
        const conn = connection;

        const handshake = new analyzerpb.AnalyzerHandshakeRequest();
        handshake.setEngineAddress(engine.address);
        handshake.setRootDirectory(absDir);
        handshake.setProgramDirectory(absDir);
        try {
            await conn.call("Handshake", conn.client.handshake, handshake);
        } catch (e) {
            if (!isUnimplemented(e)) {
                throw e;
            }
        }

        if (options.stack) {
            const stack = options.stack;
            const req = new analyzerpb.AnalyzerStackConfigureRequest();
            req.setStack(stack.name);
            req.setProject(stack.project);
            req.setOrganization(stack.organization);
            req.setDryRun(stack.dryRun ?? false);
            req.setConfigSecretKeysList(stack.configSecretKeys ?? []);
            for (const [k, v] of Object.entries(stack.config ?? {})) {
                req.getConfigMap().set(k, v);
            }
            for (const [k, v] of Object.entries(stack.tags ?? {})) {
                req.getTagsMap().set(k, v);
            }
            try {
                await conn.call("ConfigureStack", conn.client.configureStack, req);
            } catch (e) {
                if (!isUnimplemented(e)) {
                    throw e;
                }
            }
        }

        const infoResp = await conn.call("GetAnalyzerInfo", conn.client.getAnalyzerInfo, emptyRequest());
        const info = convertInfo(infoResp, project.version);
        const infoAt = performance.now();
        return {
            port,
            info,
            timings: { port: portAt - pack.spawnedAt, info: infoAt - pack.spawnedAt, ready: infoAt - pack.spawnedAt },
            pid: pack.pid,
            spawnedAt: pack.spawnedAt,
            connection: conn,
            yamlVersion: project.version,
            stderr: () => pack.stderr,
            close,
        };
    } catch (e) {
        await close();
        throw e;
    }
}

class Session implements PackSession {
    constructor(
        private readonly booted: BootedPack,
        readonly config: PolicyPackConfig,
        readonly timings: StartTimings,
    ) {}

    get info(): AnalyzerInfo {
        return this.booted.info;
    }

    get pid(): number {
        return this.booted.pid;
    }

    get port(): number {
        return this.booted.port;
    }

    private get conn(): Connection {
        return this.booted.connection;
    }

    async analyze(resource: AnalyzerResourceInput): Promise<Diagnostic[]> {
        return this.analyzeEncoded(new RequestEncoder().analyzeRequest(resource, "Analyze"));
    }

    async analyzeEncoded(request: Uint8Array): Promise<Diagnostic[]> {
        const resp = await this.conn.callEncoded("Analyze", analyzerrpc.AnalyzerService.analyze, request);
        return convertDiagnostics(resp, this.booted.yamlVersion);
    }

    async remediate(resource: AnalyzerResourceInput): Promise<Remediation[]> {
        const resp = await this.conn.callEncoded("Remediate", analyzerrpc.AnalyzerService.remediate,
            new RequestEncoder().analyzeRequest(resource, "Remediate"));
        const version = this.booted.yamlVersion;
        return resp.getRemediationsList().map(r => {
            const result: Remediation = {
                policyName: r.getPolicyname(),
                policyPackName: r.getPolicypackname(),
                policyPackVersion: version ?? r.getPolicypackversion(),
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

    async remediateAndAnalyze(resource: AnalyzerResourceInput) {
        const remediations = await this.remediate(resource);
        let properties = resource.properties;
        for (const r of remediations) {
            if (r.properties) {
                properties = r.properties;
            }
        }
        const diagnostics = await this.analyze({ ...resource, properties });
        return { remediations, diagnostics, properties };
    }

    async analyzeStack(resources: AnalyzerResourceInput[]): Promise<Diagnostic[]> {
        return this.analyzeStackEncoded(new RequestEncoder().analyzeStackRequest(resources));
    }

    async analyzeStackEncoded(request: Uint8Array): Promise<Diagnostic[]> {
        try {
            const resp = await this.conn.callEncoded("AnalyzeStack", analyzerrpc.AnalyzerService.analyzeStack, request);
            return convertDiagnostics(resp, this.booted.yamlVersion);
        } catch (e) {
            // The engine ignores an analyzer without AnalyzeStack.
            if (isUnimplemented(e)) {
                return [];
            }
            throw e;
        }
    }

    stderr(): string {
        return this.booted.stderr();
    }

    close(): Promise<void> {
        return this.booted.close();
    }
}

/**
 * Starts the pack as the engine does for `pulumi preview --policy-pack` (with `stack`) or for
 * `pulumi policy publish` (without). Throws PolicyConfigError, before Configure, when the config fails the schema.
 */
export async function startPack(options: StartOptions): Promise<PackSession> {
    const booted = await bootPack(options.packDir, options.env ?? {}, {
        stack: options.stack,
        startTimeoutMs: options.startTimeoutMs,
    });
    try {
        const config = reconcilePolicyPackConfig(booted.info.policies, booted.info.initialConfig, options.policyConfig);
        let ready = booted.timings.info;
        if (options.stack) {
            const conn = booted.connection;
            await conn.call("Configure", conn.client.configure, configureRequest(config));
            ready = performance.now() - booted.spawnedAt;
        }
        return new Session(booted, config, { ...booted.timings, ready });
    } catch (e) {
        // A config the schema rejects (PolicyConfigError) ends the run before Configure, as in the engine.
        await booted.close();
        throw e;
    }
}
