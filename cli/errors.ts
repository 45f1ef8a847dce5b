// Errors the command line reports as one line and exit code 2: bad usage, bad input files, bad config.
import { PolicyConfigError } from "../engine/config";
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
