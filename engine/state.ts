// Reads the output of `pulumi stack export` (deployment schema version 3, or 4 when the CLI used a
// feature-gated addition) and turns it into what the engine sends a policy pack: Analyze inputs for each
// custom resource and AnalyzeStack inputs for every resource, with properties in the engine's encoding.
//
// Three modules, one concern each: engine/state-file.ts reads the file (bounded, decoded, parsed, with errors
// that never quote it), engine/state-values.ts decodes property values (secrets, outputs, references, assets),
// and this one reads the export format: the deployment, its resources, their providers and options.
//
// Secrets: an encrypted secret (`ciphertext`) becomes a secret wrapping the unknown-string sentinel, so a
// policy neither sees the value nor reports a violation from it. A `--show-secrets` plaintext secret is
// decoded and sent as a secret with its value, and every string inside it is listed in `secretValues` for
// the CLI to redact; nothing here ever puts a property value in an error.
import type { AnalyzerResourceInput } from "./types";
import { decodeText, DEFAULT_MAX_STATE_BYTES, parseJson, readBounded, StateFileError } from "./state-file";
import { DecodeContext, decodeProperties, isObject } from "./state-values";

export { DEFAULT_MAX_STATE_BYTES, StateFileError } from "./state-file";
export { jsonErrorOffset } from "./json-text";

/** Deployment schema versions read: 3 (current) and 4 (3 plus feature flags). */
const SUPPORTED_VERSIONS = [3, 4];
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** A resource as the Analyzer service receives it. */
export type StateResource = AnalyzerResourceInput;

/** A resource left out of Analyze and AnalyzeStack, and why (one line, never a value). */
export interface SkippedResource {
    urn: string;
    type: string;
    name: string;
    reason: string;
}

export interface StackState {
    /** Stack and project, from the resources' URNs (`urn:pulumi:<stack>::<project>::...`). */
    stack?: string;
    project?: string;
    /** Deployment schema version of the file (3 or 4). */
    version: number;
    /** Custom resources the engine would Analyze one by one, with their inputs. */
    resources: StateResource[];
    /** Every resource for AnalyzeStack, with its outputs. */
    stackResources: StateResource[];
    /** Secrets in the inputs of the resources analyzed one by one: encrypted ones cannot be judged, plaintext ones were decoded. */
    secrets: { encrypted: number; plaintext: number };
    /**
     * Every non-empty string found inside a decoded secret (plaintext or wire-form secrets, secret output
     * values; nested members included; inputs and outputs of every resource, skipped ones too). Output that
     * may quote a stack value redacts these.
     */
    secretValues: Set<string>;
    /**
     * Resources left out of Analyze and AnalyzeStack because the policy SDK cannot decode them (an asset or
     * archive with only its hash): judging them would abort the pack's whole call, losing every other finding.
     */
    skipped: SkippedResource[];
    /**
     * Each resource's `sourcePosition` as the export records it (`project:///index.ts#12,5`: the program file
     * relative to the project directory, the line, the column), when the program's SDK sent one. Not sent to the
     * pack (the engine does not either); the CLI uses it to point findings at the line that declares a resource.
     * Kept only when it is a string of at most MAX_SOURCE_POSITION characters; its meaning is read by the CLI.
     */
    sourcePositions: Map<string, string>;
}

/** Longer `sourcePosition` strings are ignored (a real one is a path and two numbers). */
export const MAX_SOURCE_POSITION = 2048;

export interface ReadOptions {
    /** Size cap in bytes (default DEFAULT_MAX_STATE_BYTES). */
    maxBytes?: number;
}

/** The deployment inside an export, or a clear reason the file is something else. */
function deploymentOf(parsed: unknown, source: string): { version: number; deployment: Record<string, unknown> } {
    const notExport = (what: string) => new StateFileError(`${source} is ${what}, not a Pulumi stack export ` +
        "(deployment format version 3); write one with `pulumi stack export --file <file>`");
    if (!isObject(parsed)) {
        throw notExport(Array.isArray(parsed) ? "a JSON array" : `a JSON ${parsed === null ? "null" : typeof parsed}`);
    }
    // A backend checkpoint file (`.pulumi/stacks/<project>/<stack>.json`) wraps the same deployment.
    if (isObject(parsed.checkpoint) && !("deployment" in parsed)) {
        const version = parsed.version;
        if (typeof version === "number" && SUPPORTED_VERSIONS.includes(version)) {
            const latest = parsed.checkpoint.latest;
            return { version, deployment: isObject(latest) ? latest : {} };
        }
        throw new StateFileError(`${source} is a version ${JSON.stringify(version)} checkpoint; only deployment ` +
            "format version 3 is read: export the stack with a current Pulumi CLI (`pulumi stack export --file <file>`)");
    }
    if (!("deployment" in parsed) || !("version" in parsed)) {
        if ("name" in parsed && ("dependencies" in parsed || "scripts" in parsed || "devDependencies" in parsed)) {
            throw notExport("an npm package.json");
        }
        if ("$schema" in parsed && "runs" in parsed) {
            throw notExport("a SARIF log");
        }
        if ("resources" in parsed && "manifest" in parsed) {
            throw notExport("a bare deployment without its {version, deployment} envelope");
        }
        throw notExport("a JSON object without `version` and `deployment`");
    }
    const version = parsed.version;
    if (typeof version !== "number" || !SUPPORTED_VERSIONS.includes(version)) {
        const hint = typeof version === "number" && version < 3
            ? "export it with Pulumi CLI 3.x, which writes version 3"
            : "this tool reads versions 3 and 4";
        throw new StateFileError(`${source} has deployment format version ${JSON.stringify(version)}; ${hint}`);
    }
    if (parsed.deployment === null || parsed.deployment === undefined) {
        return { version, deployment: {} };
    }
    if (!isObject(parsed.deployment)) {
        throw new StateFileError(`${source}: \`deployment\` is not an object; the export is damaged, export the stack again`);
    }
    return { version, deployment: parsed.deployment };
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
    if (!urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) {
        return undefined;
    }
    const [stack, project, qualifiedType, ...name] = parts;
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    return { stack, project, type, name: name.join("::") };
}

function stringList(value: unknown): string[] | undefined {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

function dependencyMap(value: unknown): Record<string, string[]> | undefined {
    if (!isObject(value)) {
        return undefined;
    }
    const result: Record<string, string[]> = {};
    for (const [key, urns] of Object.entries(value)) {
        const list = stringList(urns);
        if (list) {
            result[key] = list;
        }
    }
    return result;
}

/** The engine analyzes the resources a program registers: custom, not providers, not read with `get`. */
function isAnalyzed(state: Record<string, unknown>, type: string): boolean {
    return state.custom === true && !type.startsWith(PROVIDER_TYPE_PREFIX) && state.external !== true;
}

/** Turns a parsed export into the engine's Analyze and AnalyzeStack inputs. */
export function stateFromExport(parsed: unknown, source = "the stack export"): StackState {
    const { version, deployment } = deploymentOf(parsed, source);
    const raw = deployment.resources ?? [];
    if (!Array.isArray(raw)) {
        throw new StateFileError(`${source}: \`deployment.resources\` is not a list; the export is damaged, export the stack again`);
    }
    const secrets = { encrypted: 0, plaintext: 0 };
    const secretValues = new Set<string>();
    const skipped: SkippedResource[] = [];
    const sourcePositions = new Map<string, string>();
    let stack: string | undefined;
    let project: string | undefined;

    interface Entry {
        state: Record<string, unknown>; urn: string; type: string; name: string; analyzed: boolean;
        inputs: Record<string, unknown>; outputs: Record<string, unknown>; skipped: boolean;
    }
    const entries: Entry[] = [];
    const byUrn = new Map<string, Entry>();
    raw.forEach((item, index) => {
        if (!isObject(item)) {
            throw new StateFileError(`${source}: resource #${index + 1} is not an object; the export is damaged`);
        }
        const urn = item.urn;
        const parts = typeof urn === "string" ? parseUrn(urn) : undefined;
        if (typeof urn !== "string" || !parts) {
            throw new StateFileError(`${source}: resource #${index + 1} has no valid URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
        }
        if (typeof item.type !== "string" || item.type === "") {
            throw new StateFileError(`${source}: resource ${urn} has no type`);
        }
        if (item.delete === true) {
            return; // an old copy waiting for deletion after a replacement: not part of the stack's desired state
        }
        stack = stack ?? parts.stack;
        project = project ?? parts.project;
        const analyzed = isAnalyzed(item, item.type);
        const context: DecodeContext = { urn, secrets: { encrypted: 0, plaintext: 0 }, secretValues };
        const inputs = decodeProperties(item.inputs, context, "inputs");
        const inputSecrets = { ...context.secrets };
        const outputs = decodeProperties(item.outputs, context, "outputs");
        const entry: Entry = {
            state: item, urn, type: item.type, name: parts.name, analyzed, inputs, outputs, skipped: context.undecodable !== undefined,
        };
        if (context.undecodable !== undefined) {
            skipped.push({ urn, type: item.type, name: parts.name, reason: context.undecodable });
        } else if (analyzed) {
            // Secrets are counted where policies judge them: the inputs of resources analyzed one by one.
            secrets.encrypted += inputSecrets.encrypted;
            secrets.plaintext += inputSecrets.plaintext;
        }
        entries.push(entry);
        byUrn.set(urn, entry);
        const position = item.sourcePosition;
        if (typeof position === "string" && position !== "" && position.length <= MAX_SOURCE_POSITION) {
            sourcePositions.set(urn, position);
        }
    });

    const providerOf = (reference: unknown): StateResource["provider"] => {
        if (typeof reference !== "string" || reference === "") {
            return undefined;
        }
        // `<provider urn>::<provider id>`; the URN itself contains `::`, the ID does not.
        const providerUrn = reference.slice(0, reference.lastIndexOf("::"));
        const provider = byUrn.get(providerUrn);
        if (provider) {
            // A provider the SDK cannot decode would fail every resource it serves: they get it without properties.
            return { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.skipped ? {} : provider.inputs };
        }
        const parts = parseUrn(providerUrn);
        return parts ? { urn: providerUrn, type: parts.type, name: parts.name, properties: {} } : undefined;
    };

    const resources: StateResource[] = [];
    const stackResources: StateResource[] = [];
    for (const entry of entries) {
        if (entry.skipped) {
            continue;
        }
        const { state, urn, type, name } = entry;
        const common: Omit<StateResource, "properties"> = { urn, type, name };
        if (typeof state.parent === "string" && state.parent !== "") {
            common.parent = state.parent;
        }
        const dependencies = stringList(state.dependencies);
        if (dependencies) {
            common.dependencies = dependencies;
        }
        const propertyDependencies = dependencyMap(state.propertyDependencies);
        if (propertyDependencies) {
            common.propertyDependencies = propertyDependencies;
        }
        const provider = providerOf(state.provider);
        if (provider) {
            common.provider = provider;
        }
        const options: NonNullable<StateResource["options"]> = { protect: state.protect === true };
        const ignoreChanges = stringList(state.ignoreChanges);
        const aliases = stringList(state.aliases);
        const additionalSecretOutputs = stringList(state.additionalSecretOutputs);
        if (ignoreChanges) {
            options.ignoreChanges = ignoreChanges;
        }
        if (aliases) {
            options.aliases = aliases;
        }
        if (additionalSecretOutputs) {
            options.additionalSecretOutputs = additionalSecretOutputs;
        }
        common.options = options;

        if (entry.analyzed) {
            resources.push({ ...common, properties: entry.inputs });
        }
        stackResources.push({ ...common, properties: entry.outputs });
    }
    return { stack, project, version, resources, stackResources, secrets, secretValues, skipped, sourcePositions };
}

/** Parses the text of an export. */
export function parseStackExport(text: string, source = "the stack export"): StackState {
    return stateFromExport(parseJson(text, source), source);
}

/**
 * Reads an export from a file (`-` for standard input), bounded by a size cap. Returns the state and the
 * text (for locating resources in SARIF output; "" with `keepText: false`, so it can be let go); throws
 * StateFileError with a one-line message.
 */
export function readStackExport(file: string, options: ReadOptions & { keepText?: boolean } = {}): { state: StackState; text: string } {
    const source = file === "-" ? "standard input" : file;
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_STATE_BYTES;
    let text = decodeText(readBounded(file, source, maxBytes), source); // the bytes go as soon as they are text
    try {
        // Parsed, then the parse tree is let go as it is turned into the state (values are shared with it).
        const state = stateFromExport(parseJson(text, source), source);
        if (options.keepText === false) {
            text = "";
        }
        return { state, text };
    } catch (e) {
        if (e instanceof StateFileError) {
            throw e;
        }
        if (e instanceof RangeError) {
            throw new StateFileError(`${source} nests too deeply or is too large to read as a stack export`);
        }
        throw new StateFileError(`${source} could not be read as a stack export (${(e as Error).name})`);
    }
}
