// Runs a policy pack the way the Pulumi engine does and drives it over the Analyzer gRPC protocol: the session,
// in the engine's order: spawn (engine/pack-process.ts) with the engine-side server's address
// (engine/engine-server.ts), Handshake (UNIMPLEMENTED is fine), ConfigureStack, GetAnalyzerInfo, config
// reconciliation (engine/config.ts), Configure, Remediate and Analyze per resource, AnalyzeStack once, Cancel.
// Properties are marshalled as the engine marshals them: secrets kept as the secret signature object, unknowns
// as the unknown sentinels, `__` keys skipped for Analyze and AnalyzeStack (Remediate keeps them, as the
// engine's `SkipInternalKeys: false` does there). Requests go out as bytes written by engine/wire.ts (identical
// to google-protobuf's, tests/cli/wire.spec.ts); answers are converted by engine/convert.ts.
import * as fs from "fs";
import * as path from "path";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PolicyPackConfig, reconcilePolicyPackConfig } from "./config";
import { CallDeadline, Connection, emptyRequest, isUnimplemented } from "./connection";
import { configureRequest, convertDiagnostics, convertInfo, convertRemediations } from "./convert";
import { startEngineServer } from "./engine-server";
import { PackProcess, packEnvironment, RUN_POLICY_PACK } from "./pack-process";
import { readPolicyProject } from "./policy-project";
import type {
    AnalyzerInfo, AnalyzerResourceInput, CallOptions, Diagnostic, PackSession, Remediation, StackIdentity, StartOptions, StartTimings,
} from "./types";
import { RequestEncoder } from "./wire";

// What callers (cli/**, tests, bench) import from here, wherever it now lives.
export { PolicyConfigError } from "./config";
export type { PolicyPackConfig } from "./config";
export { AnalyzerRpcError, CallTimeoutError } from "./connection";
export { livePackPids, packEnvironment, PackExitError } from "./pack-process";
export { readPolicyProject } from "./policy-project";
export type {
    AnalyzerInfo, AnalyzerResourceInput, CallOptions, Diagnostic, PackSession, PolicyInfo, Remediation, Severity, StackIdentity,
    StartOptions, StartTimings,
} from "./types";

const DEFAULT_START_TIMEOUT_MS = 60_000;

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
                        await connection.call("Cancel", connection.client.cancel, emptyRequest(), { deadlineMs: 2000 });
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
        private readonly callTimeoutMs: number | undefined,
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

    /** The deadline of one call: its own timeoutMs, else the session's; the pack is stopped when it passes. */
    private deadline(options: CallOptions | undefined, subject?: string): CallDeadline {
        const deadlineMs = options?.timeoutMs ?? this.callTimeoutMs;
        if (deadlineMs !== undefined && !(Number.isFinite(deadlineMs) && deadlineMs > 0)) {
            throw new RangeError(`a call's timeout must be a positive number of milliseconds, not ${deadlineMs}`);
        }
        return { deadlineMs, stopOnDeadline: true, subject };
    }

    async analyze(resource: AnalyzerResourceInput, options?: CallOptions): Promise<Diagnostic[]> {
        return this.analyzeRequest(new RequestEncoder().analyzeRequest(resource, "Analyze"), this.deadline(options, resource.urn));
    }

    async analyzeEncoded(request: Uint8Array, options?: CallOptions): Promise<Diagnostic[]> {
        return this.analyzeRequest(request, this.deadline(options));
    }

    private async analyzeRequest(request: Uint8Array, deadline: CallDeadline): Promise<Diagnostic[]> {
        const resp = await this.conn.callEncoded("Analyze", analyzerrpc.AnalyzerService.analyze, request, deadline);
        return convertDiagnostics(resp, this.booted.yamlVersion);
    }

    async remediate(resource: AnalyzerResourceInput, options?: CallOptions): Promise<Remediation[]> {
        const resp = await this.conn.callEncoded("Remediate", analyzerrpc.AnalyzerService.remediate,
            new RequestEncoder().analyzeRequest(resource, "Remediate"), this.deadline(options, resource.urn));
        return convertRemediations(resp, this.booted.yamlVersion);
    }

    async remediateAndAnalyze(resource: AnalyzerResourceInput, options?: CallOptions) {
        const remediations = await this.remediate(resource, options);
        let properties = resource.properties;
        for (const r of remediations) {
            if (r.properties) {
                properties = r.properties;
            }
        }
        const diagnostics = await this.analyze({ ...resource, properties }, options);
        return { remediations, diagnostics, properties };
    }

    async analyzeStack(resources: AnalyzerResourceInput[], options?: CallOptions): Promise<Diagnostic[]> {
        return this.analyzeStackEncoded(new RequestEncoder().analyzeStackRequest(resources), options);
    }

    async analyzeStackEncoded(request: Uint8Array, options?: CallOptions): Promise<Diagnostic[]> {
        try {
            const resp = await this.conn.callEncoded("AnalyzeStack", analyzerrpc.AnalyzerService.analyzeStack, request,
                this.deadline(options));
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
        return new Session(booted, config, { ...booted.timings, ready }, options.callTimeoutMs);
    } catch (e) {
        // A config the schema rejects (PolicyConfigError) ends the run before Configure, as in the engine.
        await booted.close();
        throw e;
    }
}
