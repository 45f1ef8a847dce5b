// `analyze`: runs the pack over an exported stack through the engine-faithful session. Each custom
// resource is analyzed with its inputs, then the whole stack once with outputs and dependencies, as the
// engine does at the end of an update. The pack's config is reconciled and schema-checked by the session;
// semantic config errors (what JSON schema cannot express) stop the run here, before any finding.
//
// Hardening: every value that came from inside a secret is replaced in the messages (cli/redact.ts); each
// Analyze and AnalyzeStack call has a wall-clock deadline; if the pack fails mid-run, what it wrote to stderr
// goes to a log file, never into the error line (it can quote anything).
import * as os from "os";
import { PolicyConfigError, PolicyPackConfig } from "../engine/config";
import { CallTimeoutError as EngineCallTimeoutError } from "../engine/connection";
import type { AnalyzerInfo, Diagnostic, PackSession } from "../engine/session";
import { readStackExport, SkippedResource, StackState, StateFileError, StateResource } from "../engine/state";
import { semanticConfigErrors } from "./catalogue";
import { failureSummary, InputError, writePackLog } from "./errors";
import { launchPack, readPolicyConfigFile } from "./pack";
import { SecretRedactor } from "./redact";
import { urnLines } from "./locate";
import { SourceLocation, sourceLocations } from "./source";
import { RequestEncoder } from "../engine/wire";

/** The default deadline of one Analyze or AnalyzeStack call (`--timeout`). */
export const DEFAULT_CALL_TIMEOUT_SECONDS = 120;

export interface AnalyzeOptions {
    file: string;
    policyConfigFile?: string;
    stackTags: Record<string, string>;
    /** The organization the stack belongs to; the pack is told "organization" when none is given. */
    organization?: string;
    maxBytes?: number;
    /** Wall-clock deadline of each Analyze and AnalyzeStack call, in milliseconds (default 120 s). */
    callTimeoutMs?: number;
    /** How the pack is started (tests give a stand-in). */
    launch?: typeof launchPack;
    /**
     * A pack already started (launchPack) to use instead of starting one; it is not closed. Its stack
     * identity, tags and config are what it was started with (the policies read only the tags and config), so
     * several exports can be judged with one start of the pack, as the specs do.
     */
    session?: PackSession;
    /** Keep the export's text to locate resources in it (SARIF regions); otherwise it is released early. */
    keepText?: boolean;
    /** Called as resources are analyzed (done of total), for a progress line. */
    onProgress?: (done: number, total: number) => void;
    /** Called when the whole-stack analysis starts (one call that can take a while on a large stack). */
    onStackPhase?: (resources: number) => void;
    /**
     * The Pulumi project's directory relative to the repository root, normalized (cli/source.ts
     * normalizeSourceRoot); "" (the default) for the repository root. Program paths in source positions are
     * relative to the project directory; the report's are relative to the repository.
     */
    sourceRoot?: string;
}

/** One violation, tied to the resource it names. */
export interface Finding {
    urn: string;
    type: string;
    name: string;
    policyName: string;
    enforcementLevel: string;
    severity: string;
    /** The policy's description (the SDK puts it on the first line of every message). */
    description: string;
    /** The finding itself, without the description line. */
    message: string;
    /** Where the program declares the resource (from the export's sourcePosition), when it was recorded. */
    source?: SourceLocation;
}

export interface AnalysisReport {
    file: string;
    stack: string;
    project: string;
    /** The organization given with --organization; undefined when none was (the pack was told "organization"). */
    organization: string | undefined;
    pack: { name: string; version: string };
    info: AnalyzerInfo;
    config: PolicyPackConfig;
    /** All resources in the export, and the custom resources analyzed one by one. */
    resourceCount: number;
    analyzedCount: number;
    /** Resources in the export's order, for grouping output. */
    resourceOrder: Map<string, { type: string; name: string; index: number }>;
    findings: Finding[];
    secrets: StackState["secrets"];
    /** Distinct values found inside secrets (and replaced by [secret] in every message). */
    redactedValues: number;
    /** Resources the export reader set aside (their properties cannot be decoded as the engine would send them). */
    skipped: SkippedResource[];
    /** The export's text, to locate resources (SARIF regions); "" unless keepText was asked for. */
    text: string;
    /** Where the program declares each resource, by URN, for the resources whose position was recorded. */
    sourceLocations?: Map<string, SourceLocation>;
    /**
     * The line of each finding's resource in the export (those without a source position), computed once the
     * findings are known so that `text` can be let go (analyzeMany does, holding many reports at once).
     */
    exportLines?: Map<string, number>;
}

/**
 * Analyze calls in flight at once. The pack's gRPC server takes them concurrently; with several in flight the
 * pack always has the next request while this process reads the last answer (on two cores, 16 kept both busy
 * where 8 left gaps). Results are kept in resource order, so the output does not depend on timing.
 */
const CONCURRENCY = 16;

/** The message without the description line the SDK prepends. */
function findingText(d: Diagnostic): string {
    const prefix = `${d.description}\n`;
    if (d.description && d.message.startsWith(prefix)) {
        return d.message.slice(prefix.length).trim() || d.description;
    }
    return d.message.trim() || d.description;
}

type ResourceName = Pick<StateResource, "urn" | "type" | "name">;

function toFinding(d: Diagnostic, fallback: ResourceName | undefined, order: AnalysisReport["resourceOrder"], info: AnalyzerInfo,
    redactor: SecretRedactor, locations: Map<string, SourceLocation>): Finding {
    const urn = d.urn || fallback?.urn || "";
    const known = order.get(urn);
    const policy = info.policies.find(p => p.name === d.policyName);
    const source = urn ? locations.get(urn) : undefined;
    return {
        urn,
        type: known?.type ?? fallback?.type ?? "",
        name: known?.name ?? fallback?.name ?? "",
        policyName: d.policyName,
        enforcementLevel: d.enforcementLevel,
        severity: d.severity || policy?.severity || "",
        description: d.description,
        message: redactor.redact(findingText(d)),
        ...(source ? { source } : {}),
    };
}

/** The pack did not answer one call within the deadline. */
export class CallTimeoutError extends InputError {
    constructor(rpc: string, what: string, timeoutMs: number) {
        super(`the policy pack did not answer ${rpc} for ${what} within ${formatSeconds(timeoutMs)} ` +
            "(--timeout <seconds> raises the deadline); the run was stopped");
        this.name = "CallTimeoutError";
    }
}

/** The pack failed mid-run; its stderr is in logFile. */
export class PackFailedError extends InputError {
    constructor(message: string, readonly logFile: string | undefined) {
        super(message);
        this.name = "PackFailedError";
    }
}

function formatSeconds(ms: number): string {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/**
 * A call with a wall-clock deadline: the session enforces it (and stops the pack when it passes); the CLI
 * turns the session's timeout into its own one-line error naming the resource and the flag.
 */
async function withDeadline<T>(call: (timeoutMs: number) => Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
    try {
        return await call(timeoutMs);
    } catch (e) {
        throw e instanceof EngineCallTimeoutError ? onTimeout() : e;
    }
}

/** Sends the Analyze requests, CONCURRENCY at a time; each request is let go once sent. */
async function analyzeEach(session: PackSession, requests: Array<Uint8Array | undefined>, onProgress: AnalyzeOptions["onProgress"],
    timeoutMs: number, names: ResourceName[]): Promise<Diagnostic[][]> {
    const total = requests.length;
    const results: Diagnostic[][] = new Array(total);
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < total) {
            const index = next++;
            const request = requests[index]!;
            requests[index] = undefined;
            try {
                results[index] = await withDeadline(ms => session.analyzeEncoded(request, { timeoutMs: ms }), timeoutMs,
                    () => new CallTimeoutError("Analyze", names[index]?.urn ?? `resource #${index + 1}`, timeoutMs));
            } catch (e) {
                next = total; // no more requests once one has failed
                throw e;
            }
            done++;
            onProgress?.(done, total);
        }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    return results;
}

/** What the run sends, encoded once up front (engine/wire.ts), so the decoded stack can be let go. */
interface EncodedStack {
    stack: string;
    project: string;
    /** The resources analyzed one by one, and their Analyze requests (same order). */
    analyzed: ResourceName[];
    requests: Array<Uint8Array | undefined>;
    /** The AnalyzeStack request; undefined for an empty stack. */
    stackRequest: Uint8Array | undefined;
    resourceCount: number;
    resourceOrder: AnalysisReport["resourceOrder"];
    secrets: StackState["secrets"];
    redactor: SecretRedactor;
    skipped: SkippedResource[];
    sourceLocations: Map<string, SourceLocation>;
}



function encodeState(state: StackState, sourceRoot: string): EncodedStack {
    const encoder = new RequestEncoder();
    const resourceOrder: AnalysisReport["resourceOrder"] = new Map();
    state.stackResources.forEach((r, index) => resourceOrder.set(r.urn, { type: r.type, name: r.name, index }));
    return {
        stack: state.stack ?? "stack",
        project: state.project ?? "project",
        analyzed: state.resources.map(r => ({ urn: r.urn, type: r.type, name: r.name })),
        requests: state.resources.map(r => encoder.analyzeRequest(r, "Analyze")),
        stackRequest: state.stackResources.length > 0 ? encoder.analyzeStackRequest(state.stackResources) : undefined,
        resourceCount: state.stackResources.length,
        resourceOrder,
        secrets: state.secrets,
        // Every string inside a decoded secret (engine/state.ts lists them), inputs, outputs and providers alike.
        redactor: new SecretRedactor(state.secretValues ?? []),
        skipped: state.skipped ?? [],
        sourceLocations: sourceLocations(state.sourcePositions, sourceRoot),
    };
}

export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
    const policyConfig = options.policyConfigFile ? readPolicyConfigFile(options.policyConfigFile) : undefined;
    // Input first: a bad file is refused before the pack is started.
    let read: ReturnType<typeof readStackExport>;
    try {
        read = readStackExport(options.file, { maxBytes: options.maxBytes, keepText: options.keepText === true });
    } catch (e) {
        if (e instanceof StateFileError && options.file === "-" && /^standard input is empty/.test(e.message)) {
            throw new InputError("standard input is empty: pipe a stack export into it, as in " +
                "`pulumi stack export --show-secrets | aws-mq-guardrails analyze --file -`");
        }
        throw e;
    }
    const text = read.text;
    let state: StackState | undefined = read.state;
    read.state = undefined as unknown as StackState;

    // The pack boots in its own process while this one encodes the requests.
    const identity = { stack: state.stack ?? "stack", project: state.project ?? "project" };
    const launch = options.launch ?? launchPack;
    const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_SECONDS * 1000;
    const starting = options.session ? Promise.resolve(options.session) : launch({
        stack: {
            name: identity.stack, project: identity.project, organization: options.organization ?? "organization",
            tags: options.stackTags, dryRun: false,
        },
        policyConfig,
    });
    let encoded: EncodedStack;
    try {
        encoded = encodeState(state, options.sourceRoot ?? "");
    } catch (e) {
        if (!options.session) {
            await starting.then(s => s.close(), () => undefined);
        }
        throw e;
    }
    state = undefined; // from here on only the encoded requests are held
    const session = await starting;
    try {
        // Default settings are the pack's own and known good; only a user's config needs the semantic checks.
        const configErrors = policyConfig ? semanticConfigErrors(session.config) : [];
        if (configErrors.length > 0) {
            throw new PolicyConfigError(`validating policy config: ${configErrors.join("; ")}`, configErrors);
        }
        const { analyzed, resourceOrder, redactor, sourceLocations: locations } = encoded;
        const findings: Finding[] = [];
        try {
            const perResource = await analyzeEach(session, encoded.requests, options.onProgress, timeoutMs, analyzed);
            perResource.forEach((diagnostics, i) => {
                for (const d of diagnostics) {
                    findings.push(toFinding(d, analyzed[i], resourceOrder, session.info, redactor, locations));
                }
            });
            const stackRequest = encoded.stackRequest;
            encoded.stackRequest = undefined;
            if (stackRequest) {
                options.onStackPhase?.(encoded.resourceCount);
                const diagnostics = await withDeadline(ms => session.analyzeStackEncoded(stackRequest, { timeoutMs: ms }), timeoutMs,
                    () => new CallTimeoutError("AnalyzeStack", `the stack (${encoded.resourceCount} resources)`, timeoutMs));
                for (const d of diagnostics) {
                    findings.push(toFinding(d, undefined, resourceOrder, session.info, redactor, locations));
                }
            }
        } catch (e) {
            if (e instanceof InputError) {
                throw e;
            }
            // The pack died or failed a call: its stderr (and the error, which carries it) go to a log file.
            const log = writePackLog(e, session.stderr());
            throw new PackFailedError(`${failureSummary(e) || "the policy pack failed"}; ` +
                (log ? `its output is in ${log}` : "its output could not be written to a log file"), log);
        }
        return {
            file: options.file,
            stack: encoded.stack,
            project: encoded.project,
            organization: options.organization,
            pack: { name: session.info.name, version: session.info.version },
            info: session.info,
            config: session.config,
            resourceCount: encoded.resourceCount,
            analyzedCount: analyzed.length,
            resourceOrder,
            findings,
            secrets: encoded.secrets,
            redactedValues: redactor.size,
            skipped: encoded.skipped,
            text,
            sourceLocations: locations,
        };
    } finally {
        if (!options.session) {
            await session.close();
        }
    }
}

/** Whether a finding blocks a deployment (the SDK reports a remediate-level finding it could not fix as mandatory). */
export function isBlocking(f: Pick<Finding, "enforcementLevel">): boolean {
    return f.enforcementLevel === "mandatory" || f.enforcementLevel === "remediate";
}

/** Stacks analyzed at once by analyzeMany: as many as the machine has cores (a pack process each). */
export function stackConcurrency(files: number): number {
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return Math.max(1, Math.min(files, cores));
}

/**
 * Several exports, each analyzed as `analyze` does, up to `concurrency` at once. Each worker starts one pack
 * process and judges its exports one after the other with it: the pack's policies see the stack tags and the
 * policy config, the same for every export of the run, and nothing in this pack reads the stack's name,
 * project or organization (tests/cli/reports.spec.ts checks that no policy does), so a pack started once judges
 * every export as a pack started for it would, without paying a start per stack. Reports come back in the
 * order the files were given, whatever finishes first. After a failure no further file is started; the ones
 * running finish, the packs are closed, then the first error is thrown, naming its file.
 */
export async function analyzeMany(files: string[], options: Omit<AnalyzeOptions, "file" | "session" | "onProgress" | "onStackPhase">,
    concurrency = stackConcurrency(files.length), onStackDone?: (done: number, total: number) => void): Promise<AnalysisReport[]> {
    const reports: AnalysisReport[] = new Array(files.length);
    const policyConfig = options.policyConfigFile ? readPolicyConfigFile(options.policyConfigFile) : undefined;
    const launch = options.launch ?? launchPack;
    let next = 0;
    let done = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
        let session: PackSession | undefined;
        try {
            while (next < files.length && !failure) {
                const index = next++;
                const file = files[index];
                try {
                    // The identity analyze gives an export without URNs; the policies do not read it (see above).
                    session = session ?? await launch({
                        stack: { name: "stack", project: "project", organization: options.organization ?? "organization", tags: options.stackTags, dryRun: false },
                        policyConfig,
                    });
                    const report = await analyze({ ...options, file, session });
                    if (options.keepText) {
                        // Only the lines of the findings' resources are needed from the export's text (SARIF regions).
                        report.exportLines = urnLines(report.text, report.findings.filter(f => f.urn !== "" && !f.source).map(f => f.urn));
                        report.text = "";
                    }
                    reports[index] = report;
                    onStackDone?.(++done, files.length);
                } catch (e) {
                    if (e instanceof Error && !e.message.includes(file)) {
                        e.message = `${file}: ${e.message}`;
                    }
                    failure = failure ?? { error: e };
                }
            }
        } finally {
            await session?.close().catch(() => undefined);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
    if (failure) {
        throw failure.error;
    }
    return reports;
}
