// npm run bench:cli: wall time of `pulumi policy analyze --file` on a 1,000-broker stack, this pack versus a minimal
// one-policy pack (compiled JS, same node_modules), same CLI, same stack, alternating runs; prints the median
// ratio. Recorded in BENCHMARKS.md ("Under the real Pulumi CLI").
import { spawnSync } from "child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "fs";
import path from "path";
import { ACTIVEMQ_MUTATIONS, generatedExport } from "./exports";
import { pulumi, ROOT, workspace } from "./support";

const cli = process.env.PULUMI_CLI_DIR;
if (!cli) {
    console.error("bench:cli: PULUMI_CLI_DIR is not set (run through npm run bench:cli)");
    process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS ?? 3);
const brokers = Number(process.env.BENCH_BROKERS ?? 1000);
const ws = workspace(cli);
try {
    // 1,000 brokers, each a whole unit (VPC, subnets, key, group, secrets): the mutations cycled.
    const mutations = Array.from({ length: brokers }, (_, i) => ACTIVEMQ_MUTATIONS[i % ACTIVEMQ_MUTATIONS.length]);
    const { deployment } = generatedExport("compliant-activemq-stack.json", "orders", mutations);
    const file = path.join(ws.home, "stack.json");
    writeFileSync(file, JSON.stringify(deployment));
    const resources = deployment.deployment.resources.length;

    const floor = path.join(ws.home, "floor-pack");
    mkdirSync(floor);
    writeFileSync(path.join(floor, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    writeFileSync(path.join(floor, "package.json"), JSON.stringify({ name: "floor", version: "0.0.1", main: "index.js" }));
    writeFileSync(path.join(floor, "index.js"), `"use strict";
const { PolicyPack, validateResourceOfType } = require("@pulumi/policy");
new PolicyPack("floor", { policies: [{
    name: "floor-no-public-broker", description: "floor", enforcementLevel: "mandatory",
    validateResource: validateResourceOfType({ __pulumiType: "aws:mq/broker:Broker" }, (broker, args, report) => {
        if (broker.publiclyAccessible) report("public");
    }),
}] });
`);
    symlinkSync(path.join(ROOT, "node_modules"), path.join(floor, "node_modules"), "dir");

    const time = (pack: string): number => {
        const start = process.hrtime.bigint();
        const run = pulumi(ws, ["policy", "analyze", "--file", file, "--policy-pack", pack, "--json"]);
        if (run.status !== 0 && run.status !== 1) throw new Error(`${pack}: exit ${run.status}: ${run.stderr.slice(0, 2000)}`);
        return Number(process.hrtime.bigint() - start) / 1e9;
    };
    time(floor); // warm the file cache and the engine's plugin lookups
    const ours: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
        floors.push(time(floor));
        ours.push(time(ROOT));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const node = spawnSync(process.execPath, ["--version"], { encoding: "utf8" }).stdout.trim();
    console.log(`pulumi policy analyze --file, ${brokers} brokers (${resources} resources), ${runs} alternating runs, node ${node}`);
    console.log(`  floor pack (1 typed policy): median ${median(floors).toFixed(2)} s  [${floors.map(t => t.toFixed(2)).join(", ")}]`);
    console.log(`  aws-mq-guardrails:           median ${median(ours).toFixed(2)} s  [${ours.map(t => t.toFixed(2)).join(", ")}]`);
    console.log(`  ratio: ${(median(ours) / median(floors)).toFixed(2)}x`);
} finally {
    ws.cleanup();
}
