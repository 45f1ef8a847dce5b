// A client for the pack's Analyzer service that sends requests already serialized to bytes, so the timed part
// is the pack's work (and the transport), not this process encoding 50,000 resources. The requests are built
// with engine/session.ts's encoders, so they are the bytes the engine-faithful session would send.
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerResourceInput, encodeAnalyzeRequest, encodeStackResource } from "../tests/engine/reference-encoder";

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
};

const identity = (b: Buffer) => b;
const response = (b: Buffer) => analyzerpb.AnalyzeResponse.deserializeBinary(new Uint8Array(b));

function method(name: string) {
    return {
        path: `/pulumirpc.Analyzer/${name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: response,
    };
}

const RawAnalyzerClient = grpc.makeGenericClientConstructor({
    analyze: method("Analyze"),
    analyzeStack: method("AnalyzeStack"),
}, "Analyzer", {});

export function encodeAnalyze(resource: AnalyzerResourceInput): Buffer {
    return Buffer.from(encodeAnalyzeRequest(resource, "Analyze").serializeBinary());
}

export function encodeAnalyzeStack(resources: AnalyzerResourceInput[]): Buffer {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(encodeStackResource));
    return Buffer.from(req.serializeBinary());
}

export class RawAnalyzer {
    private readonly client: grpc.Client;

    constructor(port: number) {
        this.client = new RawAnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    }

    private call(name: "analyze" | "analyzeStack", bytes: Buffer): Promise<analyzerpb.AnalyzeResponse> {
        return new Promise((resolve, reject) => {
            (this.client as any)[name](bytes, (err: grpc.ServiceError | null, res: analyzerpb.AnalyzeResponse) =>
                (err ? reject(new Error(`${name} failed: ${err.details || err.message}`)) : resolve(res)));
        });
    }

    /** Sends the request; returns how many diagnostics came back. */
    async analyze(bytes: Buffer): Promise<number> {
        return (await this.call("analyze", bytes)).getDiagnosticsList().length;
    }

    async analyzeStack(bytes: Buffer): Promise<number> {
        return (await this.call("analyzeStack", bytes)).getDiagnosticsList().length;
    }

    close(): void {
        this.client.close();
    }
}
