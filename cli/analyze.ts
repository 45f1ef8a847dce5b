// `analyze`: runs the pack over an exported stack through the engine-faithful session. Each custom
// resource is analyzed with its inputs, then the whole stack once with outputs and dependencies, as the
// engine does at the end of an update. The pack's config is reconciled and schema-checked by the session;
// semantic config errors (what JSON schema cannot express) stop the run here, before any finding.
import { PolicyConfigError, PolicyPackConfig } from "../engine/config";
import type { AnalyzerInfo, Diagnostic, PackSession } from "../engine/session";
import { readStackExport, StackState, StateResource } from "../engine/state";
import { semanticConfigErrors } from "./catalogue";
import { launchPack, readPolicyConfigFile } from "./pack";
import { RequestEncoder } from "../engine/wire";

export interface AnalyzeOptions {
    file: string;
    policyConfigFile?: string;
    stackTags: Record<string, string>;
    organization: string;
    maxBytes?: number;
    /** Keep the export's text to locate resources in it (SARIF regions); otherwise it is released early. */
    keepText?: boolean;
    /** Called as resources are analyzed (done of total), for a progress line. */
    onProgress?: (done: number, total: number) => void;
    /** Called when the whole-stack analysis starts (one call that can take a while on a large stack). */
    onStackPhase?: (resources: number) => void;
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
}

export interface AnalysisReport {
    file: string;
    stack: string;
    project: string;
    organization: string;
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
    /** The export's text, to locate resources (SARIF regions); "" unless keepText was asked for. */
    text: string;
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

function toFinding(d: Diagnostic, fallback: ResourceName | undefined, order: AnalysisReport["resourceOrder"], info: AnalyzerInfo): Finding {
    const urn = d.urn || fallback?.urn || "";
    const known = order.get(urn);
    const policy = info.policies.find(p => p.name === d.policyName);
    return {
        urn,
        type: known?.type ?? fallback?.type ?? "",
        name: known?.name ?? fallback?.name ?? "",
        policyName: d.policyName,
        enforcementLevel: d.enforcementLevel,
        severity: d.severity || policy?.severity || "",
        description: d.description,
        message: findingText(d),
    };
}

/** Sends the Analyze requests, CONCURRENCY at a time; each request is let go once sent. */
async function analyzeEach(session: PackSession, requests: Array<Uint8Array | undefined>, onProgress?: AnalyzeOptions["onProgress"]): Promise<Diagnostic[][]> {
    const total = requests.length;
    const results: Diagnostic[][] = new Array(total);
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < total) {
            const index = next++;
            const request = requests[index]!;
            requests[index] = undefined;
            results[index] = await session.analyzeEncoded(request);
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
}

function encodeState(state: StackState): EncodedStack {
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
    };
}

export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
    const policyConfig = options.policyConfigFile ? readPolicyConfigFile(options.policyConfigFile) : undefined;
    // Input first: a bad file is refused before the pack is started.
    const read = readStackExport(options.file, { maxBytes: options.maxBytes, keepText: options.keepText === true });
    const text = read.text;
    let state: StackState | undefined = read.state;
    read.state = undefined as unknown as StackState;

    // The pack boots in its own process while this one encodes the requests.
    const identity = { stack: state.stack ?? "stack", project: state.project ?? "project" };
    const starting = launchPack({
        stack: { name: identity.stack, project: identity.project, organization: options.organization, tags: options.stackTags, dryRun: false },
        policyConfig,
    });
    let encoded: EncodedStack;
    try {
        encoded = encodeState(state);
    } catch (e) {
        await starting.then(s => s.close(), () => undefined);
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
        const { analyzed, resourceOrder } = encoded;
        const findings: Finding[] = [];
        const perResource = await analyzeEach(session, encoded.requests, options.onProgress);
        perResource.forEach((diagnostics, i) => {
            for (const d of diagnostics) {
                findings.push(toFinding(d, analyzed[i], resourceOrder, session.info));
            }
        });
        const stackRequest = encoded.stackRequest;
        encoded.stackRequest = undefined;
        if (stackRequest) {
            options.onStackPhase?.(encoded.resourceCount);
            for (const d of await session.analyzeStackEncoded(stackRequest)) {
                findings.push(toFinding(d, undefined, resourceOrder, session.info));
            }
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
            text,
        };
    } finally {
        await session.close();
    }
}

/** Whether a finding blocks a deployment (the SDK reports a remediate-level finding it could not fix as mandatory). */
export function isBlocking(f: Pick<Finding, "enforcementLevel">): boolean {
    return f.enforcementLevel === "mandatory" || f.enforcementLevel === "remediate";
}
