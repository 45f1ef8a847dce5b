// The floor pack: the least a compiled JavaScript policy pack with this repository's dependencies does.
// Generated into a temporary directory at bench time: package.json (the same dependencies), PulumiPolicy.yaml,
// a plain index.js, and node_modules symlinked to this repository's, so run-policy-pack resolves exactly the
// modules this pack runs on. No tsconfig.json (a plain JavaScript pack needs none).
//
// Two trivial policies, one per kind of call the bench times: a resource policy on brokers (Analyze) and a
// stack policy (AnalyzeStack). A pack without a stack policy answers AnalyzeStack without deserializing a
// single resource (the SDK skips that work when no stack policy is enabled), which would time only gRPC, not
// the least a pack that looks at a stack pays. Each policy reads one property so the SDK's decoding and
// proxies are exercised as for any real policy.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const FLOOR_INDEX_JS = `"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("floor", {
    policies: [
        {
            name: "floor-broker-public",
            description: "A broker is not publicly accessible.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "aws:mq/broker:Broker" && args.props.publiclyAccessible === true) {
                    reportViolation("publiclyAccessible is true; set false");
                }
            },
        },
        {
            name: "floor-stack-brokers",
            description: "The stack has no public broker.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                for (const r of args.resources) {
                    if (r.type === "aws:mq/broker:Broker" && r.props.publiclyAccessible === true) {
                        reportViolation("publiclyAccessible is true; set false", r.urn);
                    }
                }
            },
        },
    ],
});
`;

/** Writes the floor pack into a new temporary directory; returns its path. */
export function createFloorPack(repoDir: string): string {
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
    fs.writeFileSync(path.join(dir, "index.js"), FLOOR_INDEX_JS);
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

export function removeFloorPack(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
