// The floor pack: the least a compiled JavaScript policy pack with this repository's dependencies does.
// Generated into a temporary directory at bench time: package.json (the same dependencies), PulumiPolicy.yaml,
// a plain index.js, and node_modules symlinked to this repository's, so run-policy-pack resolves exactly the
// modules this pack runs on. No tsconfig.json (a plain JavaScript pack needs none).
//
// Two trivial policies, one per kind of call the bench times, each TYPED with the broker type as the SDK's
// helpers type them (validateResourceOfType / validateStackResourcesOfType with a class carrying
// `__pulumiType`, which is what `aws.mq.Broker` carries; the floor does not load @pulumi/aws for it): a resource
// policy on brokers (Analyze) and a stack policy over the brokers (AnalyzeStack). Typed, the SDK answers
// not-applicable for every other resource, and skips a stack without a broker, before decoding anything: the
// least any pack on brokers can pay. A pack without a stack policy answers AnalyzeStack without deserializing
// a single resource, which would time only gRPC, so the floor keeps one. Each policy reads one property so the
// SDK's decoding and proxies are exercised as for any real policy.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** One trivial resource policy of the floor, typed with the broker type (as `aws.mq.Broker` carries it). */
function resourcePolicyJs(name: string, description: string): string {
    return `
        {
            name: "${name}",
            description: "${description}",
            enforcementLevel: "mandatory",
            validateResource: validateResourceOfType(Broker, (broker, args, reportViolation) => {
                if (broker.publiclyAccessible === true) {
                    reportViolation("publiclyAccessible is true; set false");
                }
            }),
        },`;
}

/**
 * The floor's index.js. `resourcePolicies` > 1 adds that many more trivial resource policies, each typed with the
 * broker type like the first (the "floor-N" variant: a floor with as many typed resource policies as this pack, so
 * the SDK answers not-applicable for each of them on every other resource, as it does for this pack's).
 */
export function floorIndexJs(resourcePolicies = 1): string {
    const resource = [resourcePolicyJs("floor-broker-public", "A broker is not publicly accessible."),
        ...Array.from({ length: Math.max(0, resourcePolicies - 1) }, (_, i) =>
            resourcePolicyJs(`floor-broker-public-${i + 2}`, `A broker is not publicly accessible (copy ${i + 2}).`))];
    return `"use strict";
const { PolicyPack, validateResourceOfType, validateStackResourcesOfType } = require("@pulumi/policy");

const Broker = { __pulumiType: "aws:mq/broker:Broker" };

new PolicyPack("floor", {
    policies: [${resource.join("")}
        {
            name: "floor-stack-brokers",
            description: "The stack has no public broker.",
            enforcementLevel: "mandatory",
            validateStack: validateStackResourcesOfType(Broker, (brokers, args, reportViolation) => {
                for (const r of args.resources) {
                    if (r.props.publiclyAccessible === true) {
                        reportViolation("publiclyAccessible is true; set false", r.urn);
                    }
                }
            }),
        },
    ],
});
`;
}

/** Writes the floor pack (with `resourcePolicies` typed resource policies) into a new temporary directory. */
export function createFloorPack(repoDir: string, resourcePolicies = 1): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-mq-floor-"));
    const own = JSON.parse(fs.readFileSync(path.join(repoDir, "package.json"), "utf8"));
    const pkg = {
        name: "floor-pack",
        version: "0.0.1",
        private: true,
        main: "index.js",
        dependencies: own.dependencies,
        devDependencies: own.devDependencies,
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: Floor pack for the benchmark.\n");
    fs.writeFileSync(path.join(dir, "index.js"), floorIndexJs(resourcePolicies));
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** Replaces `from` in one compiled file; fails when it is not there (the build changed: update this file). */
function patchFile(target: string, from: RegExp, to: string): void {
    const source = fs.readFileSync(target, "utf8");
    const patched = source.replace(from, to);
    if (patched === source) {
        throw new Error(`${target}: ${from} not found; update bench/floor.ts`);
    }
    fs.writeFileSync(target, patched);
}

/** A copy of this pack as built to dist/, with one compiled file patched (a variant to measure). */
function createVariantPack(repoDir: string, prefix: string, file: string, from: RegExp, to: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.copyFileSync(path.join(repoDir, "PulumiPolicy.yaml"), path.join(dir, "PulumiPolicy.yaml"));
    // The copy runs its patched dist/ directly (the repository's `main` may be an entry that checks dist/ against
    // the sources, which the copy does not have).
    const pkg = JSON.parse(fs.readFileSync(path.join(repoDir, "package.json"), "utf8"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, main: "dist/index.js" }, null, 2) + "\n");
    fs.cpSync(path.join(repoDir, "dist"), path.join(dir, "dist"), { recursive: true });
    patchFile(path.join(dir, "dist", file), from, to);
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/**
 * This pack judging only `@pulumi/aws`'s types (aws-native's left out of BROKER_TYPES and CONFIGURATION_TYPES):
 * each policy then judges one type, so the SDK's one-type marker applies again. Measures what judging aws-native
 * under the same policy names costs on every other resource.
 */
export function createAwsOnlyPack(repoDir: string): string {
    const dir = createVariantPack(repoDir, "aws-mq-aws-only-", path.join("policies", "lib", "broker.js"),
        /exports\.BROKER_TYPES = \[exports\.BROKER_TYPE, [^\]]*\];/, "exports.BROKER_TYPES = [exports.BROKER_TYPE];");
    patchFile(path.join(dir, "dist", "policies", "lib", "configuration-facts.js"),
        /exports\.CONFIGURATION_TYPES = \[exports\.CONFIGURATION_TYPE, [^\]]*\];/,
        "exports.CONFIGURATION_TYPES = [exports.CONFIGURATION_TYPE];");
    return dir;
}

/**
 * This pack serving only the policies named (the policies an earlier build had): compares this pack's code with
 * that build's on the same policies, apart from the policies added since.
 */
export function createSamePoliciesPack(repoDir: string, names: readonly string[]): string {
    return createVariantPack(repoDir, "aws-mq-same-policies-", path.join("policies", "index.js"), /$/,
        `\nexports.policies = exports.policies.filter(p => ${JSON.stringify(names)}.includes(p.name));\n`);
}

/**
 * This pack without one of the SDK patches its entry installs (index.js's call of `install` removed), when it has
 * that call: `installDecodeCache` (policies/lib/sdk-decode-cache.ts: the SDK decodes once per policy) or
 * `installTypeFamilies` (policies/lib/sdk-type-families.ts: the broker and configuration policies unmarked, as
 * before 2026-12-03 evening). Measures what each patch saves.
 */
export function createPackWithout(repoDir: string, install: "installDecodeCache" | "installTypeFamilies"): string | undefined {
    const index = fs.readFileSync(path.join(repoDir, "dist", "index.js"), "utf8");
    const call = new RegExp(`\\(0, \\w+\\.${install}\\)\\([^)]*\\);`);
    if (!call.test(index)) {
        return undefined;
    }
    const prefix = install === "installDecodeCache" ? "aws-mq-no-cache-" : "aws-mq-no-families-";
    return createVariantPack(repoDir, prefix, "index.js", call, "");
}

export function removeFloorPack(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
