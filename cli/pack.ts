// Where the pack lives and how the command line starts it: this package is the pack (its `main` is the
// compiled dist/index.js), launched through engine/session.ts exactly as the Pulumi engine launches it.
import * as fs from "fs";
import * as path from "path";
import { parsePolicyPackConfig, PolicyConfigError, PolicyPackConfig } from "../engine/config";
import type { PackSession, StackIdentity } from "../engine/session";
import { PackExitError } from "../engine/pack-process";
import { failureSummary, InputError, writePackLog } from "./errors";

/**
 * The package root: dist/cli/main.js -> the repository (or installed package) directory; cli/*.ts (run from
 * source, as the specs do) -> the repository.
 */
export const PACK_DIR = path.basename(path.dirname(__dirname)) === "dist"
    ? path.resolve(__dirname, "..", "..") : path.resolve(__dirname, "..");

/** The version in the package's package.json (what `--version` prints). */
export function packageVersion(): string {
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        return typeof pkg.version === "string" ? pkg.version : "0.0.0";
    } catch {
        return "0.0.0";
    }
}

/** Policy config files are small; anything bigger than this is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads and parses a --policy-pack-config file the way the Pulumi CLI does. */
export function readPolicyConfigFile(file: string): PolicyPackConfig {
    let text: string;
    try {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) {
            throw new InputError(`${file} is a directory, not a policy config file`);
        }
        if (stat.size > MAX_CONFIG_BYTES) {
            throw new InputError(`${file} is ${Math.round(stat.size / 1024)} KB; a policy config file is a small JSON object ` +
                "mapping policy names to settings");
        }
        text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    } catch (e) {
        if (e instanceof InputError) {
            throw e;
        }
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(code === "ENOENT" ? `policy config file ${file} does not exist`
            : `policy config file ${file} cannot be read (${code ?? (e as Error).name})`);
    }
    return parsePolicyPackConfig(text, file);
}

/** Starts the pack; a pack that cannot start (not built, broken install) is an input error with the reason. */
export async function launchPack(options: { stack?: StackIdentity; policyConfig?: PolicyPackConfig }): Promise<PackSession> {
    if (!fs.existsSync(path.join(PACK_DIR, "dist", "index.js"))) {
        throw new InputError(`the policy pack in ${PACK_DIR} is not built (dist/index.js is missing); run \`npm run build\``);
    }
    // Loaded here, not at the top: gRPC and the protocol stubs are only needed once the input is known good,
    // so a bad file is refused in a fraction of the start-up time.
    const { startPack } = require("../engine/session") as typeof import("../engine/session");
    try {
        return await startPack({ packDir: PACK_DIR, stack: options.stack, policyConfig: options.policyConfig });
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            throw e;
        }
        // What the pack wrote to stderr (carried in the error) can quote anything: it goes to a log file.
        const log = writePackLog(e, e instanceof PackExitError ? e.stderr : "");
        throw new InputError(`the policy pack could not start (${failureSummary(e) || "no reason given"}); ` +
            (log ? `its output is in ${log}` : "its output could not be written to a log file"));
    }
}
