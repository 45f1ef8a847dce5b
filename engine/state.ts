// Reads the output of `pulumi stack export` (deployment schema version 3, or 4 when the CLI used a
// feature-gated addition) and turns it into what the engine sends a policy pack: Analyze inputs for each
// custom resource and AnalyzeStack inputs for every resource, with properties in the engine's encoding.
//
// Secrets: an encrypted secret (`ciphertext`) becomes a secret wrapping the unknown-string sentinel, so a
// policy neither sees the value nor reports a violation from it. A `--show-secrets` plaintext secret is
// decoded and sent as a secret with its value; nothing here ever puts a property value in an error.
//
// Bounded: the file is stat'ed and read in chunks up to a size cap (regular files, pipes and devices
// alike), and every failure is a StateFileError with a one-line message the CLI prints as is.
import * as fs from "fs";
import { SECRET_SIG, SIG_KEY, secret, unknown } from "./properties";
import type { AnalyzerResourceInput } from "./session";

/** Signatures of the Pulumi property encoding besides secrets (`resource.*Sig`). */
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** The largest export read by default. A 10,000-resource stack exports to roughly 20-30 MB. */
export const DEFAULT_MAX_STATE_BYTES = 64 * 1024 * 1024;
/** Deployment schema versions read: 3 (current) and 4 (3 plus feature flags). */
const SUPPORTED_VERSIONS = [3, 4];
/** Deeper property values than this are refused rather than risking the stack (real ones nest < 30). */
const MAX_DEPTH = 256;
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

export class StateFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateFileError";
    }
}

/** A resource as the Analyzer service receives it. */
export type StateResource = AnalyzerResourceInput;

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
}

export interface ReadOptions {
    /** Size cap in bytes (default DEFAULT_MAX_STATE_BYTES). */
    maxBytes?: number;
}

function formatSize(bytes: number): string {
    const mb = bytes / (1024 * 1024);
    return mb >= 1 ? `${mb.toFixed(mb >= 10 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function tooLarge(source: string, size: number | undefined, maxBytes: number): StateFileError {
    const actual = size === undefined ? `more than ${formatSize(maxBytes)}` : formatSize(size);
    return new StateFileError(`${source} is ${actual}, over the ${formatSize(maxBytes)} limit for a stack export; ` +
        `if it really is one, raise the limit with --max-file-size <MB>`);
}

/** Reads at most maxBytes (+1 to detect more) from a file, pipe or device, without trusting its stat size. */
function readBounded(file: string, source: string, maxBytes: number): Buffer {
    let fd: number;
    try {
        fd = file === "-" ? 0 : fs.openSync(file, "r");
    } catch (e) {
        throw new StateFileError(describeFsError(e, source));
    }
    try {
        const stat = fs.fstatSync(fd);
        if (stat.isDirectory()) {
            throw new StateFileError(`${source} is a directory; pass the file written by \`pulumi stack export --file <file>\``);
        }
        if (stat.isFile() && stat.size > maxBytes) {
            throw tooLarge(source, stat.size, maxBytes);
        }
        const chunks: Buffer[] = [];
        let total = 0;
        const chunkSize = 1024 * 1024;
        for (;;) {
            const chunk = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
            let read: number;
            try {
                read = fs.readSync(fd, chunk, 0, chunk.length, null);
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
                    continue; // a non-blocking stdin with nothing yet
                }
                if ((e as NodeJS.ErrnoException).code === "EOF") {
                    break;
                }
                throw new StateFileError(describeFsError(e, source));
            }
            if (read === 0) {
                break;
            }
            chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
            total += read;
            if (total > maxBytes) {
                throw tooLarge(source, stat.isFile() ? Math.max(stat.size, total) : undefined, maxBytes);
            }
        }
        return Buffer.concat(chunks, total);
    } finally {
        if (fd !== 0) {
            fs.closeSync(fd);
        }
    }
}

function describeFsError(e: unknown, source: string): string {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
        case "ENOENT":
            return `${source} does not exist; write it with \`pulumi stack export --file ${source}\``;
        case "EACCES":
        case "EPERM":
            return `${source} cannot be read (permission denied)`;
        case "EISDIR":
            return `${source} is a directory; pass the file written by \`pulumi stack export --file <file>\``;
        default:
            return `${source} cannot be read (${code ?? "I/O error"})`;
    }
}

/** Text of the file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM (PowerShell's `>` writes that). */
function decodeText(buffer: Buffer, source: string): string {
    if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
        return buffer.subarray(2).toString("utf16le");
    }
    if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
        const swapped = Buffer.from(buffer.subarray(2));
        swapped.swap16();
        return swapped.toString("utf16le");
    }
    if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
        return buffer.subarray(3).toString("utf8");
    }
    if (buffer.indexOf(0) !== -1) {
        throw new StateFileError(`${source} is a binary file, not a stack export; write one with \`pulumi stack export --file <file>\``);
    }
    return buffer.toString("utf8");
}

/** Line and column of an offset, for a parse error message (never the text around it: it may be a secret). */
function lineAndColumn(text: string, offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return `line ${line}, column ${offset - lineStart + 1}`;
}

const LITERAL = /true|false|null/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where JSON.parse failed: the offset of the first syntax error (the text's length when it ends early).
 * V8's messages do not always say, and when they do they quote the text, which may be a secret. Iterative,
 * linear, and only run on text that has already failed to parse.
 */
export function jsonErrorOffset(text: string): number {
    const n = text.length;
    const stack: number[] = []; // 123 `{` or 91 `[`
    let i = 0;
    let expect: "value" | "firstValue" | "key" | "firstKey" | "after" = "value";
    const skipSpace = () => {
        for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i)) {
            // whitespace
        }
    };
    const scanString = (): number => {
        for (i++; i < n; i++) {
            const c = text.charCodeAt(i);
            if (c === 34) {
                i++;
                return -1;
            }
            if (c === 92) {
                const e = text[i + 1];
                if (e === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
                        return i;
                    }
                    i += 5;
                } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
                    i++;
                } else {
                    return e === undefined ? n : i;
                }
            } else if (c < 32) {
                return i;
            }
        }
        return n;
    };
    const scanToken = (pattern: RegExp): boolean => {
        pattern.lastIndex = i;
        const match = pattern.exec(text);
        if (!match) {
            return false;
        }
        i += match[0].length;
        return true;
    };
    for (;;) {
        skipSpace();
        if (expect === "value" || expect === "firstValue") {
            if (i >= n) {
                return n;
            }
            const c = text[i];
            if (expect === "firstValue" && c === "]") {
                i++;
                stack.pop();
                expect = "after";
            } else if (c === "{" || c === "[") {
                stack.push(text.charCodeAt(i++));
                expect = c === "{" ? "firstKey" : "firstValue";
            } else if (c === "\"") {
                const error = scanString();
                if (error >= 0) {
                    return error;
                }
                expect = "after";
            } else if (scanToken(NUMBER) || scanToken(LITERAL)) {
                expect = "after";
            } else {
                return i;
            }
        } else if (expect === "key" || expect === "firstKey") {
            if (i >= n) {
                return n;
            }
            if (expect === "firstKey" && text[i] === "}") {
                i++;
                stack.pop();
                expect = "after";
                continue;
            }
            if (text[i] !== "\"") {
                return i;
            }
            const error = scanString();
            if (error >= 0) {
                return error;
            }
            skipSpace();
            if (i >= n) {
                return n;
            }
            if (text[i] !== ":") {
                return i;
            }
            i++;
            expect = "value";
        } else {
            if (stack.length === 0) {
                return i >= n ? -1 : i;
            }
            if (i >= n) {
                return n;
            }
            const top = stack[stack.length - 1];
            const c = text[i];
            if (c === ",") {
                i++;
                expect = top === 123 ? "key" : "value";
            } else if ((top === 123 && c === "}") || (top === 91 && c === "]")) {
                i++;
                stack.pop();
                expect = "after";
            } else {
                return i;
            }
        }
    }
}

function parseJson(text: string, source: string): unknown {
    if (text.trim() === "") {
        throw new StateFileError(`${source} is empty; write a stack export with \`pulumi stack export --file ${source}\``);
    }
    try {
        return JSON.parse(text);
    } catch {
        // V8's message quotes the text around the error, which may be a plaintext secret: never print it.
        const trimmed = text.trimStart();
        if (/^(name|runtime|description|config|resources|outputs|variables)\s*:/m.test(trimmed.slice(0, 4096)) &&
            !trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            throw new StateFileError(`${source} is YAML (a Pulumi.yaml or stack config?), not a stack export; ` +
                `write one with \`pulumi stack export --file <file>\``);
        }
        const offset = jsonErrorOffset(text);
        if (offset >= text.trimEnd().length) {
            throw new StateFileError(`${source} is truncated: the JSON ends early; export the stack again ` +
                `with \`pulumi stack export --file ${source}\``);
        }
        const where = offset >= 0 ? ` at ${lineAndColumn(text, offset)}` : "";
        throw new StateFileError(`${source} is not valid JSON${where}; ` +
            `export the stack again with \`pulumi stack export --file ${source}\``);
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
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

interface DecodeContext {
    urn: string;
    secrets: { encrypted: number; plaintext: number };
}

/** Sets a member, `__proto__` included (an ordinary key in JSON; plain assignment would set the prototype). */
function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
    if (key === "__proto__") {
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
        target[key] = value;
    }
}

/** A property value in the engine's encoding (what it sends an analyzer), from its state encoding. */
function decodeValue(value: unknown, context: DecodeContext, path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) {
        throw new StateFileError(`resource ${context.urn}: property ${path} nests deeper than ${MAX_DEPTH} levels; ` +
            "the export is damaged or not a Pulumi stack export");
    }
    if (Array.isArray(value)) {
        // Shared, not copied, when nothing inside changes (most values): the parsed export is not used
        // otherwise, and a copy of every value doubled the memory a large stack takes.
        let result: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const v = value[i];
            const decoded = typeof v === "object" && v !== null ? decodeValue(v, context, `${path}[${i}]`, depth + 1) : v;
            if (decoded !== v && result === undefined) {
                result = value.slice(0, i);
            }
            if (result !== undefined) {
                result.push(decoded);
            }
        }
        return result ?? value;
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG_KEY];
    if (sig === undefined) {
        let result: Record<string, unknown> | undefined;
        const keys = Object.keys(value);
        for (let k = 0; k < keys.length; k++) {
            const key = keys[k];
            const v = value[key];
            const decoded = typeof v === "object" && v !== null
                ? decodeValue(v, context, path ? `${path}.${key}` : key, depth + 1) : v;
            if (decoded !== v && result === undefined) {
                result = {};
                for (let j = 0; j < k; j++) {
                    defineMember(result, keys[j], value[keys[j]]);
                }
            }
            if (result !== undefined) {
                defineMember(result, key, decoded);
            }
        }
        return result ?? value;
    }
    switch (sig) {
        case SECRET_SIG: {
            if (typeof value.plaintext === "string") {
                context.secrets.plaintext++;
                let plain: unknown;
                try {
                    plain = JSON.parse(value.plaintext);
                } catch {
                    throw new StateFileError(`resource ${context.urn}: the plaintext secret at ${path} is not ` +
                        "valid JSON; export the stack again");
                }
                return secret(decodeValue(plain, context, path, depth + 1));
            }
            if ("value" in value) {
                // Already in wire form (a hand-written file): keep it a secret.
                context.secrets.plaintext++;
                return secret(decodeValue(value.value, context, path, depth + 1));
            }
            // Encrypted (`ciphertext`): the value cannot be known here, so it must not be judged.
            context.secrets.encrypted++;
            return secret(unknown.string);
        }
        case OUTPUT_VALUE_SIG: {
            const inner = "value" in value ? decodeValue(value.value, context, path, depth + 1) : unknown.string;
            return value.secret === true ? secret(inner) : inner;
        }
        case RESOURCE_REFERENCE_SIG:
            // Without KeepResources the engine sends a reference as its ID (custom) or URN (component).
            return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return value;
        default:
            // A signature this reader does not know: an unknown value, never a false finding.
            return unknown.string;
    }
}

function decodeProperties(props: unknown, context: DecodeContext, what: string): Record<string, unknown> {
    if (props === undefined || props === null) {
        return {};
    }
    if (!isObject(props)) {
        throw new StateFileError(`resource ${context.urn}: \`${what}\` is not an object; the export is damaged`);
    }
    return decodeValue(props, context, "", 0) as Record<string, unknown>;
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
    let stack: string | undefined;
    let project: string | undefined;

    interface Entry { state: Record<string, unknown>; urn: string; type: string; name: string; analyzed: boolean; inputs: Record<string, unknown> }
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
        // Secrets are counted where policies judge them: the inputs of resources analyzed one by one.
        const context: DecodeContext = { urn, secrets: analyzed ? secrets : { encrypted: 0, plaintext: 0 } };
        const entry: Entry = {
            state: item,
            urn,
            type: item.type,
            name: parts.name,
            analyzed,
            inputs: decodeProperties(item.inputs, context, "inputs"),
        };
        entries.push(entry);
        byUrn.set(urn, entry);
    });

    const providerOf = (reference: unknown): StateResource["provider"] => {
        if (typeof reference !== "string" || reference === "") {
            return undefined;
        }
        // `<provider urn>::<provider id>`; the URN itself contains `::`, the ID does not.
        const providerUrn = reference.slice(0, reference.lastIndexOf("::"));
        const provider = byUrn.get(providerUrn);
        if (provider) {
            return { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs };
        }
        const parts = parseUrn(providerUrn);
        return parts ? { urn: providerUrn, type: parts.type, name: parts.name, properties: {} } : undefined;
    };

    const resources: StateResource[] = [];
    const stackResources: StateResource[] = [];
    for (const entry of entries) {
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
        const outputs = decodeProperties(state.outputs, { urn, secrets: { encrypted: 0, plaintext: 0 } }, "outputs");
        stackResources.push({ ...common, properties: outputs });
    }
    return { stack, project, version, resources, stackResources, secrets };
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
