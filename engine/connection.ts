// The client side of the Analyzer protocol: one gRPC connection to the pack, unary calls with an optional
// deadline, and errors that say what happened (the pack's exit and stderr when it died, the deadline when it
// did not answer).
import * as grpc from "@grpc/grpc-js";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { PackProcess } from "./pack-process";

/** The engine raises gRPC's message limit from 4 MB to 400 MB for analyzers. */
const MAX_MESSAGE_SIZE = 400 * 1024 * 1024;
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE_SIZE,
    "grpc.max_send_message_length": MAX_MESSAGE_SIZE,
};

/** The longest subject (a URN from the stack) a timeout message names. */
const MAX_SUBJECT = 300;

export interface CallDeadline {
    deadlineMs?: number;
    /** Stop the pack process when the deadline passes (Analyze, AnalyzeStack, Remediate). */
    stopOnDeadline?: boolean;
    /** What the call was about (a resource's URN), for the message. */
    subject?: string;
}

type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>,
    callback: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

export class Connection {
    readonly client: analyzerrpc.AnalyzerClient;

    constructor(port: number, private readonly pack: PackProcess) {
        this.client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    }

    /**
     * One unary call; if the pack dies meanwhile, the error says so and carries its stderr. With a deadline, a
     * call that misses it rejects with a CallTimeoutError; with `stopOnDeadline` the pack is stopped first.
     */
    call<Req, Res>(name: string, method: Unary<Req, Res>, req: Req, options: CallDeadline = {}): Promise<Res> {
        if (this.pack.hasExited) {
            return Promise.reject(this.pack.exitError(name));
        }
        const { deadlineMs } = options;
        return new Promise<Res>((resolve, reject) => {
            const callOptions: Partial<grpc.CallOptions> = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
            method.call(this.client, req, new grpc.Metadata(), callOptions, (err, res) => {
                if (!err) {
                    resolve(res);
                    return;
                }
                if (err.code === grpc.status.DEADLINE_EXCEEDED && deadlineMs && !this.pack.hasExited) {
                    const timeout = new CallTimeoutError(name, deadlineMs, options.subject, options.stopOnDeadline === true);
                    if (options.stopOnDeadline) {
                        // A pack stuck in one call (a loop, a promise that never settles) is not trusted with the next.
                        void this.pack.stop(1000).then(() => reject(timeout), () => reject(timeout));
                    } else {
                        reject(timeout);
                    }
                    return;
                }
                if (err.code === grpc.status.UNAVAILABLE || this.pack.hasExited) {
                    // Give the exit event a moment, so the message can say why the pack is gone.
                    void Promise.race([this.pack.exited, new Promise(r => setTimeout(r, 200))]).then(() => {
                        reject(this.pack.hasExited ? this.pack.exitError(name) : rpcError(name, err));
                    });
                    return;
                }
                reject(rpcError(name, err));
            });
        });
    }

    /**
     * One unary call with a request already serialized (engine/wire.ts): the bytes go out as they are, the
     * response is decoded by the service's own deserializer.
     */
    callEncoded<Res>(name: string, definition: grpc.MethodDefinition<any, Res>, request: Uint8Array, options: CallDeadline = {}): Promise<Res> {
        const raw: Unary<Uint8Array, Res> = (req, metadata, callOptions, callback) =>
            this.client.makeUnaryRequest(definition.path, (b: Uint8Array) => Buffer.isBuffer(b) ? b : Buffer.from(b),
                definition.responseDeserialize, req, metadata, callOptions, callback as grpc.requestCallback<Res>);
        return this.call(name, raw, request, options);
    }

    close(): void {
        this.client.close();
    }
}

export class AnalyzerRpcError extends Error {
    constructor(readonly rpc: string, readonly code: grpc.status, details: string) {
        super(`${rpc} failed: ${details}`);
        this.name = "AnalyzerRpcError";
    }
}

/** A call that did not answer within its deadline. */
export class CallTimeoutError extends Error {
    constructor(readonly rpc: string, readonly timeoutMs: number, subject: string | undefined, stopped: boolean) {
        const about = subject ? ` of ${subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT)}...` : subject}` : "";
        super(`${rpc}${about} did not answer within ${timeoutMs} ms` + (stopped ? "; the policy pack was stopped" : ""));
        this.name = "CallTimeoutError";
    }
}

function rpcError(name: string, err: grpc.ServiceError): AnalyzerRpcError {
    return new AnalyzerRpcError(name, err.code, err.details || err.message);
}

export function isUnimplemented(e: unknown): boolean {
    return e instanceof AnalyzerRpcError && e.code === grpc.status.UNIMPLEMENTED;
}

export function emptyRequest(): any {
    const Empty = (analyzerrpc.AnalyzerService.getAnalyzerInfo as any).requestType;
    return new Empty();
}
