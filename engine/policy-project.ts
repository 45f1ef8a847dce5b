// PulumiPolicy.yaml: the engine loads it before anything else (runtime, and a `version` that wins over the
// pack's). Read with js-yaml's failsafe schema, where every scalar is a string, as the engine's Go struct
// reads them into string fields: `version: 1.0` is "1.0", not the number 1.
import * as fs from "fs";
import * as path from "path";
import { FAILSAFE_SCHEMA, load, YAMLException } from "js-yaml";

export interface PolicyProject {
    runtime: string;
    version?: string;
}

function isMapping(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the top-level `runtime` (string or `{name}`) and `version` of PulumiPolicy.yaml. */
export function readPolicyProject(packDir: string): PolicyProject {
    const fail = (why: string) => new Error(`failed to load Pulumi policy project located at "${packDir}": ${why}`);
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw fail((e as NodeJS.ErrnoException).code === "ENOENT" ? "no PulumiPolicy.yaml found" : (e as Error).message);
    }
    let doc: unknown;
    try {
        doc = load(text, { schema: FAILSAFE_SCHEMA, filename: file });
    } catch (e) {
        if (e instanceof YAMLException) {
            // The reason and the place, not js-yaml's snippet of the file.
            throw fail(`PulumiPolicy.yaml is not valid YAML: ${e.reason} at line ${e.mark.line + 1}, column ${e.mark.column + 1}`);
        }
        throw e;
    }
    const project = isMapping(doc) ? doc : {};
    const runtimeField = project.runtime;
    const runtime = typeof runtimeField === "string" ? runtimeField :
        isMapping(runtimeField) && typeof runtimeField.name === "string" ? runtimeField.name : "";
    if (runtime === "") {
        throw fail("project is missing a 'runtime' attribute");
    }
    const version = typeof project.version === "string" && project.version !== "" ? project.version : undefined;
    return { runtime, version };
}
