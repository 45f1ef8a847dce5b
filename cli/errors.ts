// Errors the command line reports as one line and exit code 2: bad usage, bad input files, bad config, a pack
// that failed (its output goes to a log file, never into the line).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyConfigError } from "../engine/config";
import { PackExitError } from "../engine/pack-process";
import { StateFileError } from "../engine/state";

/** A mistake on the command line (unknown flag, missing value): printed with a pointer to --help. */
export class UsageError extends Error {
    constructor(message: string, readonly command?: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** An input the command cannot use (a missing or malformed file, a config the pack rejects). */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

export function isInputError(e: unknown): e is Error {
    return e instanceof UsageError || e instanceof InputError || e instanceof StateFileError ||
        e instanceof PolicyConfigError;
}

/**
 * Writes what the pack wrote to stderr, and the error, to a private log file (it may quote stack values:
 * mode 0600) and returns its path; undefined if it cannot be written.
 */
export function writePackLog(error: unknown, stderr: string): string | undefined {
    const file = path.join(os.tmpdir(), `aws-mq-guardrails-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}.log`);
    const text = `aws-mq-guardrails: the policy pack failed\n\nerror:\n${(error as Error)?.stack ?? String(error)}\n\n` +
        `policy pack stderr:\n${stderr || "(empty)"}\n`;
    try {
        fs.writeFileSync(file, text, { mode: 0o600, flag: "wx" });
        return file;
    } catch {
        return undefined;
    }
}

/** The first line of a session error, without what follows the colon (the pack's stderr or a quoted value). */
export function failureSummary(error: unknown): string {
    if (error instanceof PackExitError) {
        return error.summary.slice(0, 200);
    }
    const first = String((error as Error)?.message ?? error).split("\n")[0];
    const cut = first.search(/["'`]|:\s*$/);
    return (cut >= 0 ? first.slice(0, cut) : first).replace(/[:;,\s]+$/, "").slice(0, 200);
}
