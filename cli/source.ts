// Where a resource is declared in the program: the `sourcePosition` the engine records in the state when the
// program's SDK sends one (pulumi/pulumi pkg/resource/deploy/source_eval.go, parseSourcePosition: the file
// relative to the project directory as a `project` URL, then `#<line>` and `,<column>` when the column is
// known: `project:///src/brokers.ts#12,5`; read 2026-12-03). The CLI turns it into a path relative to the
// repository (the project directory is `--source-root`, default the working directory), so SARIF can point
// GitHub code scanning at the line of the pull request that declares the broker, and the table and JSON can
// show `file:line`.
//
// Every export is hostile: a position is used only when it is exactly that shape, with a line and column that
// are plain numbers, a path without control or bidi characters, backslashes or empty segments, that stays
// inside the repository once joined to the source root. Anything else is ignored (the finding keeps its
// logical location, the resource's URN).
import * as path from "path";

export interface SourceLocation {
    /** The program file, relative to the repository root, `/`-separated. */
    file: string;
    /** 1-based line. */
    line: number;
    /** 1-based column, when the SDK recorded one. */
    column?: number;
}

/** Longest program path used (a real one is far shorter). */
const MAX_PATH = 1024;
/** Characters never accepted in a program path: controls, bidi and invisible marks, separators, backslash. */
 
const UNSAFE_PATH = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\\]|\p{Cs}/u;

/**
 * The source root as given with --source-root (the Pulumi project's directory relative to the repository
 * root), `/`-separated and normalized; "" for the repository root. Undefined when it is absolute or leaves
 * the repository.
 */
export function normalizeSourceRoot(root: string | undefined): string | undefined {
    if (root === undefined || root === "" || root === ".") {
        return "";
    }
    if (UNSAFE_PATH.test(root.replace(/\\/g, "/")) || path.posix.isAbsolute(root) || path.win32.isAbsolute(root)) {
        return undefined;
    }
    const normalized = path.posix.normalize(root.replace(/\\/g, "/")).replace(/\/+$/, "");
    if (normalized === "." ) {
        return "";
    }
    return normalized === ".." || normalized.startsWith("../") ? undefined : normalized;
}

/** The program location of a `sourcePosition`, or undefined when it is not one this reads. */
export function parseSourcePosition(raw: string, sourceRoot = ""): SourceLocation | undefined {
    const match = /^project:\/\/\/([^#?]+)#([1-9]\d{0,8})(?:,([1-9]\d{0,8}))?$/.exec(raw);
    if (!match) {
        return undefined;
    }
    let relative: string;
    try {
        relative = decodeURIComponent(match[1]);
    } catch {
        return undefined;
    }
    if (relative.length > MAX_PATH || UNSAFE_PATH.test(relative) || relative.split("/").some(s => s === "")) {
        return undefined;
    }
    const file = path.posix.normalize(sourceRoot === "" ? relative : `${sourceRoot}/${relative}`);
    if (file === "." || file === ".." || file.startsWith("../") || path.posix.isAbsolute(file)) {
        return undefined;
    }
    const line = Number(match[2]);
    const column = match[3] === undefined ? undefined : Number(match[3]);
    return column === undefined ? { file, line } : { file, line, column };
}

/** `file:line` as the table and JSON show it. */
export function sourceText(location: SourceLocation): string {
    return `${location.file}:${location.line}`;
}

/** The program locations of an export's resources, by URN. */
export function sourceLocations(positions: Map<string, string> | undefined, sourceRoot = ""): Map<string, SourceLocation> {
    const locations = new Map<string, SourceLocation>();
    for (const [urn, raw] of positions ?? []) {
        const location = parseSourcePosition(raw, sourceRoot);
        if (location) {
            locations.set(urn, location);
        }
    }
    return locations;
}
