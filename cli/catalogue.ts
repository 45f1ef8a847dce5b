// `describe` and `validate-config`: the pack's catalogue as the engine sees it (GetAnalyzerInfo from a
// publish-style boot), and the engine's config validation run locally: parse as `--policy-pack-config`
// does, reconcile against the schemas the pack reports (defaults, `all`, schema check), then each
// policy's own semantic checks (an unsafe regular expression, say), which JSON schema cannot express.
import { PolicyConfigError, PolicyPackConfig, mergePolicyPackConfig, reconcilePolicyPackConfig } from "../engine/config";
import type { AnalyzerInfo } from "../engine/session";
import { launchPack, readPolicyConfigFile } from "./pack";

/** A policy's semantic config check, as policies/index.ts exposes it. */
interface SemanticChecker {
    name: string;
    validateConfig?: (config: Record<string, unknown>) => string[];
}

function packPolicies(): SemanticChecker[] {
    // Loaded on demand: the policies are only needed when there is a config to check.
     
    const mod = require("../policies") as { policies?: SemanticChecker[] };
    return Array.isArray(mod.policies) ? mod.policies : [];
}

/** Semantic errors in a reconciled config, each prefixed with its policy's name. */
export function semanticConfigErrors(config: PolicyPackConfig): string[] {
    const errors: string[] = [];
    for (const policy of packPolicies()) {
        const entry = config[policy.name];
        if (!entry || entry.enforcementLevel === "disabled" || typeof policy.validateConfig !== "function") {
            continue;
        }
        for (const error of policy.validateConfig(entry.properties ?? {})) {
            errors.push(`${policy.name}: ${error}`);
        }
    }
    return errors;
}

export async function describePack(): Promise<AnalyzerInfo> {
    const session = await launchPack({});
    try {
        return session.info;
    } finally {
        await session.close();
    }
}

export interface ConfigCheck {
    file: string;
    errors: string[];
    /** Not errors for the engine, but almost certainly mistakes (a policy name the pack does not have). */
    warnings: string[];
}

/** Checks a config file; `info` (the pack's catalogue, from describePack) saves starting the pack again. */
export async function validateConfigFile(file: string, info?: AnalyzerInfo): Promise<ConfigCheck> {
    let config: PolicyPackConfig;
    // Every error of the file at once: entries with a bad level are reported, and the rest still checked.
    const errors: string[] = [];
    try {
        config = readPolicyConfigFile(file);
    } catch (e) {
        if (!(e instanceof PolicyConfigError)) {
            throw e;
        }
        if (!e.partial) {
            return { file, errors: [e.message], warnings: [] };
        }
        errors.push(...e.details);
        config = e.partial;
    }
    info = info ?? await describePack();
    const names = new Set(info.policies.map(p => p.name));
    const warnings = Object.keys(config)
        // With an enforcementLevel the engine sends it and the pack ignores it; without one the
        // reconciliation below fails, as the engine does.
        .filter(name => name !== "all" && !names.has(name) && config[name].enforcementLevel !== undefined)
        .map(name => `"${name}" is not a policy of ${info.name}; the engine ignores it (a typo?)`);
    let reconciled: PolicyPackConfig;
    try {
        reconciled = reconcilePolicyPackConfig(info.policies, info.initialConfig, config);
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            const schemaErrors = e.details.length > 0 ? e.details : [e.message];
            // The policies' own checks still run on the entries the schema accepted.
            const failed = new Set(schemaErrors.map(error => error.split(":")[0]));
            const merged = mergePolicyPackConfig(info.policies, info.initialConfig, config);
            for (const name of failed) {
                delete merged[name];
            }
            return { file, errors: [...errors, ...schemaErrors, ...semanticConfigErrors(merged)], warnings };
        }
        throw e;
    }
    return { file, errors: [...errors, ...semanticConfigErrors(reconciled)], warnings };
}
