// Driving @pulumi/policy's own server handlers (server.js makeAnalyzeRpcFun, ...) in process, as gRPC would.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A Struct whose decoding is counted: the SDK decodes with toJavaScript(). */
export function countedStruct(props: Record<string, unknown>, counter: { decodes: number }): Struct {
    const struct = Struct.fromJavaScript(props as never);
    const own = struct.toJavaScript.bind(struct);
    struct.toJavaScript = () => {
        counter.decodes++;
        return own();
    };
    return struct;
}

/** One of the SDK's unary handlers, as its server.js makes them (makeAnalyzeRpcFun and the others). */
export type Handler = (call: object, cb: (err: unknown, res: unknown) => void) => void;

/** Calls one of the SDK's unary handlers with `request`; resolves to its response. */
export function call<T>(fn: Handler, request: object): Promise<T> {
    return new Promise((resolve, reject) => fn({ request }, (err, res) => (err ? reject(err) : resolve(res as T))));
}
