// Where the time goes, without processes or gRPC: the SDK's own Analyze and AnalyzeStack handlers
// (@pulumi/policy/server) run in this process over the bench's requests, for this pack's policies (as built to
// dist/) and the floor's (the same two trivial policies as bench/floor.ts). Not part of `npm run bench`.
//   node [--cpu-prof] -r ts-node/register/transpile-only bench/inprocess.ts pack|floor [brokers=1000]
// BENCH_NO_MEMO=1 leaves out the pack's SDK decode cache (policies/lib/sdk-decode-cache.ts), for an A/B.
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { encodeAnalyze, encodeAnalyzeStack } from "./rpc";
import { analyzeBrokers, syntheticStack } from "./workload";

 
const server = require("@pulumi/policy/server");

function handler(kind: "analyze" | "analyzeStack", policies: unknown[]) {
    const make = kind === "analyze" ? server.makeAnalyzeRpcFun : server.makeAnalyzeStackRpcFun;
    const fn = make("bench", "0.0.1", "advisory", policies);
    return (request: unknown) => new Promise<number>((resolve, reject) =>
        fn({ request }, (err: Error | undefined, res: analyzerpb.AnalyzeResponse) =>
            (err ? reject(err) : resolve(res.getDiagnosticsList().length))));
}

async function main(): Promise<void> {
    const which = process.argv[2] ?? "pack";
    const brokers = Number(process.argv[3] ?? 1000);
    if (which === "pack" && process.env.BENCH_NO_MEMO !== "1") {
        require("../policies/lib/sdk-decode-cache").installDecodeCache();
    }
    const policies = which === "pack" ? require("../dist/policies").policies : floorPolicies();
    const stackBytes = encodeAnalyzeStack(syntheticStack(brokers));
    const analyzeBytes = analyzeBrokers(1000).map(encodeAnalyze);
    const analyze = handler("analyze", policies);
    const analyzeStack = handler("analyzeStack", policies);
    for (let rep = 0; rep < 3; rep++) {
        let t = performance.now();
        let n = 0;
        for (const b of analyzeBytes) {
            n += await analyze(analyzerpb.AnalyzeRequest.deserializeBinary(new Uint8Array(b)));
        }
        const a = performance.now() - t;
        t = performance.now();
        const req = analyzerpb.AnalyzeStackRequest.deserializeBinary(new Uint8Array(stackBytes));
        const decode = performance.now() - t;
        const d = await analyzeStack(req);
        const s = performance.now() - t;
        console.log(`${which}: 1000 analyze ${a.toFixed(0)} ms (${n} diags); stack of ${brokers * 10}: ${s.toFixed(0)} ms ` +
            `(proto decode ${decode.toFixed(0)} ms, ${d} diags)`);
    }
}

function floorPolicies(): unknown[] {
    return [
        {
            name: "floor-broker-public", description: "d", enforcementLevel: "mandatory",
            validateResource: (args: any, report: any) => {
                if (args.type === "aws:mq/broker:Broker" && args.props.publiclyAccessible === true) {
                    report("public");
                }
            },
        },
        {
            name: "floor-stack-brokers", description: "d", enforcementLevel: "mandatory",
            validateStack: (args: any, report: any) => {
                for (const r of args.resources) {
                    if (r.type === "aws:mq/broker:Broker" && r.props.publiclyAccessible === true) {
                        report("public", r.urn);
                    }
                }
            },
        },
    ];
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
