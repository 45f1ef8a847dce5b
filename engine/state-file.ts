// Reading a stack export file: bounded (the file is stat'ed and read in chunks up to a size cap, regular
// files, pipes and devices alike), decoded as text (UTF-8, or UTF-16 with a BOM), parsed as JSON. Every
// failure is a StateFileError with a one-line message the CLI prints as is, and no message ever quotes the
// file's text: a stack export holds plaintext secrets when it was written with --show-secrets.
import * as fs from "fs";
import { endsEarly, jsonErrorOffset, lineAndColumn } from "./json-text";

/** The largest export read by default. A 10,000-resource stack exports to roughly 20-30 MB. */
export const DEFAULT_MAX_STATE_BYTES = 64 * 1024 * 1024;

export class StateFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateFileError";
    }
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
export function readBounded(file: string, source: string, maxBytes: number): Buffer {
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
export function decodeText(buffer: Buffer, source: string): string {
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

export function parseJson(text: string, source: string): unknown {
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
        if (endsEarly(text, offset)) {
            throw new StateFileError(`${source} is truncated: the JSON ends early; export the stack again ` +
                `with \`pulumi stack export --file ${source}\``);
        }
        const where = offset >= 0 ? ` at ${lineAndColumn(text, offset)}` : "";
        throw new StateFileError(`${source} is not valid JSON${where}; ` +
            `export the stack again with \`pulumi stack export --file ${source}\``);
    }
}
