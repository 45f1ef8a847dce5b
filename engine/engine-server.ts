// The engine side of the protocol: a minimal Engine service (Log and friends), as the engine's host server is.
// The pack receives its address as run-policy-pack's first argument; @pulumi/pulumi only dials an engine named
// by PULUMI_NODEJS_ENGINE, which the engine does not set for policy packs, so today nothing calls it, but the
// address is live so that a future SDK that dials it works.
import * as grpc from "@grpc/grpc-js";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";

export interface EngineServer {
    address: string;
    logs: string[];
    shutdown(): void;
}

export async function startEngineServer(): Promise<EngineServer> {
    const server = new grpc.Server();
    const logs: string[] = [];
    const Empty = (enginerpc.EngineService.log as any).responseType;
    server.addService(enginerpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, any>, callback: grpc.sendUnaryData<any>) => {
            if (logs.length < 1000) {
                logs.push(call.request.getMessage());
            }
            callback(null, new Empty());
        },
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.GetRootResourceResponse>) =>
            callback(null, new enginepb.GetRootResourceResponse()),
        setRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.SetRootResourceResponse>) =>
            callback(null, new enginepb.SetRootResourceResponse()),
        startDebugging: (_call: unknown, callback: grpc.sendUnaryData<any>) => callback(null, new Empty()),
        requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<enginepb.RequirePulumiVersionResponse>) =>
            callback(null, new enginepb.RequirePulumiVersionResponse()),
    } as any);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    return { address: `127.0.0.1:${port}`, logs, shutdown: () => server.forceShutdown() };
}
