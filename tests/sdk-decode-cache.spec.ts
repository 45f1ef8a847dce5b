// policies/lib/sdk-decode-cache.ts: the SDK decodes each Struct once per request instead of once per policy,
// and nothing a policy sees changes (values, unknowns, secrets, proxies, fresh objects per policy, errors).
import * as assert from "assert";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { secret, SIG_KEY, unknown } from "../engine/properties";
import { encodeAnalyzeRequest, encodeStackResource, toStruct } from "./engine/reference-encoder";
import { installDecodeCache, TESTED_SDK_VERSION, uninstallDecodeCache, withDecodeCache } from "../policies/lib/sdk-decode-cache";

 
const deserialize = require("@pulumi/policy/deserialize");
 
const server = require("@pulumi/policy/server");
 
const { serializeProperties } = deserialize;

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

const SAMPLES: Array<Record<string, unknown>> = [
    {},
    {
        brokerName: "orders", publiclyAccessible: false, count: 3, ratio: 0.5, nothing: null,
        users: [{ username: "app", password: secret("Zq8mWv3nRt6yLp2xKb9c"), groups: ["a", null, 1] }],
        encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: unknown.string },
        tags: { team: unknown.string, env: "prod" },
        subnetIds: unknown.array,
        nested: { deep: { deeper: [[1, 2], { x: secret({ inner: unknown.boolean }) }] } },
    },
    {
        code: { [SIG_KEY]: ASSET_SIG, text: "console.log(1)" },
        bundle: { [SIG_KEY]: ARCHIVE_SIG, assets: { "a.txt": { [SIG_KEY]: ASSET_SIG, text: "a" } } },
    },
];

/**
 * What a policy reads from a decoded value, as plain data: every key and value, a secret as
 * `{ secret: <its value> }` (read through the SDK's Secret, however it is proxied), its class name kept.
 */
function seen(value: unknown): unknown {
    if (Array.isArray(value)) {
        // By index: Array methods on the SDK's secret proxy trip over its `constructor` trap.
        return Array.from({ length: value.length }, (_, i) => seen(value[i]));
    }
    if (typeof value === "object" && value !== null) {
        const kind = Object.getPrototypeOf(value)?.constructor?.name ?? "null-prototype";
        if (kind === "Secret") {
            return { secret: seen((value as { value: unknown }).value) };
        }
        return { kind, entries: Object.keys(value).sort().map(k => [k, seen((value as Record<string, unknown>)[k])]) };
    }
    return value;
}

/** toJavaScript calls on one Struct are counted. */
function countingStruct(props: Record<string, unknown>): { struct: Struct; calls: () => number } {
    const struct = toStruct(props);
    let calls = 0;
    const own = struct.toJavaScript.bind(struct);
    struct.toJavaScript = () => {
        calls++;
        return own();
    };
    return { struct, calls: () => calls };
}

describe("sdk-decode-cache", () => {
    const original = deserialize.deserializeProperties;
    afterEach(() => uninstallDecodeCache());

    it("returns what the SDK's deserializeProperties returns, with and without secret proxies", async () => {
        const cached = withDecodeCache(original);
        for (const props of SAMPLES) {
            const struct = toStruct(props);
            for (const proxySecrets of [false, true]) {
                for (let round = 0; round < 2; round++) {
                    const mine = cached(struct, proxySecrets);
                    const theirs = original(toStruct(props), proxySecrets);
                    // What a policy can see, not proxy identity (Node 22+ compares proxied secrets by reference).
                    assert.deepStrictEqual(seen(mine), seen(theirs));
                    // Secrets (kept as Secret objects with proxySecrets) serialize back the same way.
                    assert.deepStrictEqual(await serializeProperties(mine), await serializeProperties(theirs));
                }
            }
        }
    });

    it("decodes each Struct once, and gives every call fresh objects of its own", () => {
        const cached = withDecodeCache(original);
        const { struct, calls } = countingStruct(SAMPLES[1]);
        const first = cached(struct, false);
        const second = cached(struct, false);
        assert.strictEqual(calls(), 1);
        assert.notStrictEqual(first, second);
        assert.notStrictEqual(first.users, second.users);
        (first.users as Array<Record<string, unknown>>)[0].username = "changed";
        first.tags = "changed";
        const third = cached(struct, false);
        assert.strictEqual((third.users as Array<Record<string, unknown>>)[0].username, "app");
        assert.deepStrictEqual(third.tags, { team: unknown.string, env: "prod" });
        assert.strictEqual(calls(), 1);
    });

    it("throws the SDK's error every time for a Struct it cannot decode", () => {
        const cached = withDecodeCache(original);
        const struct = toStruct({ bad: { [SIG_KEY]: "not-a-signature" } });
        for (let i = 0; i < 2; i++) {
            assert.throws(() => cached(struct, false), /Unrecognized signature 'not-a-signature'/);
        }
    });

    it("installs only on the exact @pulumi/policy version it was tested against, which is the one installed", () => {
         
        const installed = String(require("@pulumi/policy/package.json").version).replace(/^v/, "");
        assert.strictEqual(installed, TESTED_SDK_VERSION, "the installed SDK is the tested one: re-read server.js and re-run this spec before moving the pin");
        for (const other of ["1.21.1", "1.22.0", "2.0.0", "v1.21.0-alpha", ""]) {
            assert.strictEqual(installDecodeCache(other), false, String(other));
            assert.strictEqual(deserialize.deserializeProperties, original);
        }
        assert.strictEqual(installDecodeCache(TESTED_SDK_VERSION), true);
    });

    it("is installed on the SDK module, once, and can be removed", () => {
        assert.strictEqual(installDecodeCache(), true);
        const installed = deserialize.deserializeProperties;
        assert.notStrictEqual(installed, original);
        assert.strictEqual(installDecodeCache(), true);
        assert.strictEqual(deserialize.deserializeProperties, installed);
        uninstallDecodeCache();
        assert.strictEqual(deserialize.deserializeProperties, original);
    });

    /** Runs the SDK's AnalyzeStack handler; returns the diagnostics and what each policy saw. */
    async function analyzeStack(req: analyzerpb.AnalyzeStackRequest) {
        const seen: Record<string, Array<Record<string, unknown>>> = {};
        const policy = (name: string, read: (props: any) => unknown) => ({
            name, description: name, enforcementLevel: "mandatory",
            validateStack: (args: any, report: (message: string, urn?: string) => void) => {
                seen[name] = args.resources.map((r: any) => r.props.__getSpecialProxyTarget);
                for (const r of args.resources) {
                    report(`${r.name}: ${JSON.stringify(read(r.props))} provider ${r.provider?.props.region}`, r.urn);
                }
            },
        });
        const policies = [
            policy("reads-name", p => p.brokerName),
            policy("reads-unknown", p => p.encryptionOptions?.kmsKeyId),
            policy("reads-secret", p => p.users?.[0]?.password),
        ];
        const fn = server.makeAnalyzeStackRpcFun("pack", "1.0.0", "advisory", policies);
        const res = await new Promise<analyzerpb.AnalyzeResponse>((resolve, reject) =>
            fn({ request: req }, (err: Error | undefined, r: analyzerpb.AnalyzeResponse) => (err ? reject(err) : resolve(r))));
        return { diagnostics: res.toObject().diagnosticsList, seen };
    }

    function stackRequest(): analyzerpb.AnalyzeStackRequest {
        const provider = { urn: "urn:pulumi:prod::p::pulumi:providers:aws::default", type: "pulumi:providers:aws", name: "default", properties: { region: "us-east-1" } };
        const req = new analyzerpb.AnalyzeStackRequest();
        req.setResourcesList(SAMPLES.slice(0, 2).map((properties, i) => encodeStackResource({
            urn: `urn:pulumi:prod::p::aws:mq/broker:Broker::b${i}`, type: "aws:mq/broker:Broker", name: `b${i}`, properties, provider,
        })));
        return req;
    }

    it("leaves the SDK's AnalyzeStack answer unchanged, and decodes each resource once for all stack policies", async () => {
        const without = await analyzeStack(stackRequest());
        assert.ok(installDecodeCache());
        const req = stackRequest();
        let calls = 0;
        for (const r of req.getResourcesList()) {
            for (const struct of [r.getProperties()!, r.getProvider()!.getProperties()!]) {
                const own = struct.toJavaScript.bind(struct);
                struct.toJavaScript = () => {
                    calls++;
                    return own();
                };
            }
        }
        const withCache = await analyzeStack(req);
        assert.deepStrictEqual(withCache.diagnostics, without.diagnostics);
        // An unknown read still ends that policy with the SDK's preview message.
        assert.ok(withCache.diagnostics.some(d => d.policyname === "reads-unknown" && /can't run policy/.test(d.message)));
        // Two resources, each with its own properties and provider properties: four decodes for three policies.
        assert.strictEqual(calls, 4);
        // Every policy had objects of its own.
        assert.notStrictEqual(withCache.seen["reads-name"][1], withCache.seen["reads-secret"][1]);
        assert.deepStrictEqual(withCache.seen["reads-name"][1], withCache.seen["reads-secret"][1]);
    });

    it("leaves the SDK's Analyze answer unchanged", async () => {
        const run = async () => {
            const policies = ["a", "b"].map(name => ({
                name, description: name, enforcementLevel: "mandatory",
                validateResource: (args: any, report: (m: string) => void) => {
                    report(`${name} ${args.props.brokerName} ${JSON.stringify(args.props.users)}`);
                    report(`${args.props.tags.team}`);
                },
            }));
            const fn = server.makeAnalyzeRpcFun("pack", "1.0.0", "advisory", policies);
            const req = encodeAnalyzeRequest({ urn: "urn:pulumi:prod::p::aws:mq/broker:Broker::b", type: "aws:mq/broker:Broker", name: "b", properties: SAMPLES[1] });
            const res = await new Promise<analyzerpb.AnalyzeResponse>((resolve, reject) =>
                fn({ request: req }, (err: Error | undefined, r: analyzerpb.AnalyzeResponse) => (err ? reject(err) : resolve(r))));
            return res.toObject().diagnosticsList;
        };
        const without = await run();
        assert.ok(installDecodeCache());
        const withCache = await run();
        assert.deepStrictEqual(withCache, without);
        assert.strictEqual(withCache.length, 4);
    });
});
