// `analyze`: runs the pack over an exported stack through the engine-faithful session. Each custom
// resource is analyzed with its inputs, then the whole stack once with outputs and dependencies, as the
// engine does at the end of an update. The pack's config is reconciled and schema-checked by the session;
// semantic config errors (what JSON schema cannot express) stop the run here, before any finding.
import { PolicyConfigError, PolicyPackConfig } from "../engine/config";
import type { AnalyzerInfo, Diagnostic, PackSession } from "../engine/session";
import { readStackExport, StackState, StateResource } from "../engine/state";
import { semanticConfigErrors } from "./catalogue";
import { launchPack, readPolicyConfigFile } from "./pack";

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

/** Analyze calls in flight at once: the pack answers one at a time, this hides the round trips. */
const CONCURRENCY = 8;

/** The message without the description line the SDK prepends. */
function findingText(d: Diagnostic): string {
    const prefix = `${d.description}\n`;
    if (d.description && d.message.startsWith(prefix)) {
        return d.message.slice(prefix.length).trim() || d.description;
    }
    return d.message.trim() || d.description;
}

function toFinding(d: Diagnostic, fallback: StateResource | undefined, order: AnalysisReport["resourceOrder"], info: AnalyzerInfo): Finding {
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

async function analyzeEach(session: PackSession, resources: StateResource[], onProgress?: AnalyzeOptions["onProgress"]): Promise<Diagnostic[][]> {
    const results: Diagnostic[][] = new Array(resources.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < resources.length) {
            const index = next++;
            results[index] = await session.analyze(resources[index]);
            done++;
            onProgress?.(done, resources.length);
        }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, resources.length) }, worker));
    return results;
}

export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
    const policyConfig = options.policyConfigFile ? readPolicyConfigFile(options.policyConfigFile) : undefined;
    const read = readStackExport(options.file, { maxBytes: options.maxBytes });
    const state = read.state;
    const text = options.keepText ? read.text : "";
    const stack = state.stack ?? "stack";
    const project = state.project ?? "project";

    const resourceOrder: AnalysisReport["resourceOrder"] = new Map();
    state.stackResources.forEach((r, index) => resourceOrder.set(r.urn, { type: r.type, name: r.name, index }));

    const session = await launchPack({
        stack: { name: stack, project, organization: options.organization, tags: options.stackTags, dryRun: false },
        policyConfig,
    });
    try {
        // Default settings are the pack's own and known good; only a user's config needs the semantic checks.
        const configErrors = policyConfig ? semanticConfigErrors(session.config) : [];
        if (configErrors.length > 0) {
            throw new PolicyConfigError(`validating policy config: ${configErrors.join("; ")}`, configErrors);
        }
        const findings: Finding[] = [];
        const perResource = await analyzeEach(session, state.resources, options.onProgress);
        perResource.forEach((diagnostics, i) => {
            for (const d of diagnostics) {
                findings.push(toFinding(d, state.resources[i], resourceOrder, session.info));
            }
        });
        const analyzedCount = state.resources.length;
        state.resources = []; // the inputs are done with: let them go before the stack is encoded
        if (state.stackResources.length > 0) {
            options.onStackPhase?.(state.stackResources.length);
            for (const d of await session.analyzeStack(state.stackResources)) {
                findings.push(toFinding(d, undefined, resourceOrder, session.info));
            }
        }
        return {
            file: options.file,
            stack,
            project,
            organization: options.organization,
            pack: { name: session.info.name, version: session.info.version },
            info: session.info,
            config: session.config,
            resourceCount: state.stackResources.length,
            analyzedCount,
            resourceOrder,
            findings,
            secrets: state.secrets,
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
