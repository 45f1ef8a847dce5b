// engine/state.ts: reading `pulumi stack export` output into the engine's Analyze and AnalyzeStack inputs.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { secret, SECRET_SIG, SIG_KEY, unknown } from "../../engine/properties";
import { parseStackExport, parseUrn, readStackExport, StateFileError, stateFromExport } from "../../engine/state";
import { EXAMPLES, readExample, scratchDir } from "./support";

const STACK = "urn:pulumi:prod::messaging::pulumi:pulumi:Stack::messaging-prod";
const PROVIDER = "urn:pulumi:prod::messaging::pulumi:providers:aws::default_7_48_0";
const BROKER = "urn:pulumi:prod::messaging::aws:mq/broker:Broker::orders";

function exportOf(resources: object[], version = 3): object {
    return { version, deployment: { manifest: { time: "2026-03-09T14:21:37Z", magic: "x", version: "v3.248.0" }, resources } };
}

function plaintext(value: unknown) {
    return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
}

function ciphertext() {
    return { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBB" };
}

const baseResources = () => [
    { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
    { urn: PROVIDER, custom: true, id: "0f7d5d5e-1111-4222-a333-444455556666", type: "pulumi:providers:aws",
        inputs: { region: "us-east-1", version: "7.48.0" }, outputs: { region: "us-east-1", version: "7.48.0" } },
];

function broker(extra: object = {}) {
    return {
        urn: BROKER, custom: true, id: "b-1", type: "aws:mq/broker:Broker", parent: STACK,
        provider: `${PROVIDER}::0f7d5d5e-1111-4222-a333-444455556666`,
        inputs: { __defaults: [], brokerName: "orders", users: [{ username: "app", password: ciphertext() }] },
        outputs: { brokerName: "orders", arn: "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1" },
        dependencies: ["urn:pulumi:prod::messaging::aws:kms/key:Key::k"],
        propertyDependencies: { brokerName: [], encryptionOptions: ["urn:pulumi:prod::messaging::aws:kms/key:Key::k"] },
        protect: true,
        ...extra,
    };
}

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof StateFileError, `a StateFileError, not ${String(e)}`);
        return e.message;
    }
    assert.fail("expected a StateFileError");
}

describe("engine/state: reading a stack export", () => {
    it("reads the stack and project from the URNs", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker()]));
        assert.strictEqual(state.stack, "prod");
        assert.strictEqual(state.project, "messaging");
        assert.strictEqual(state.version, 3);
    });

    it("analyzes custom resources one by one with their inputs, but not the stack or providers", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker()]));
        assert.deepStrictEqual(state.resources.map(r => r.urn), [BROKER]);
        assert.strictEqual(state.resources[0].properties.brokerName, "orders");
        assert.strictEqual(state.resources[0].name, "orders");
        assert.strictEqual(state.resources[0].type, "aws:mq/broker:Broker");
        assert.deepStrictEqual(state.resources[0].options?.protect, true);
    });

    it("gives AnalyzeStack every resource with outputs, parent, dependencies and property dependencies", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker()]));
        assert.deepStrictEqual(state.stackResources.map(r => r.urn), [STACK, PROVIDER, BROKER]);
        const b = state.stackResources[2];
        assert.strictEqual(b.properties.arn, "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1");
        assert.strictEqual(b.parent, STACK);
        assert.deepStrictEqual(b.dependencies, ["urn:pulumi:prod::messaging::aws:kms/key:Key::k"]);
        assert.deepStrictEqual(b.propertyDependencies?.encryptionOptions, ["urn:pulumi:prod::messaging::aws:kms/key:Key::k"]);
    });

    it("resolves the provider reference to the provider resource's URN, type, name and inputs", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker()]));
        assert.deepStrictEqual(state.resources[0].provider, {
            urn: PROVIDER, type: "pulumi:providers:aws", name: "default_7_48_0",
            properties: { region: "us-east-1", version: "7.48.0" },
        });
    });

    it("keeps an encrypted secret a secret whose value is unknown", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker()]));
        const users = state.resources[0].properties.users as any[];
        assert.deepStrictEqual(users[0].password, secret(unknown.string));
        assert.strictEqual(state.secrets.encrypted, 1);
    });

    it("decodes a --show-secrets plaintext secret into a secret with its value", () => {
        const state = stateFromExport(exportOf([...baseResources(),
            broker({ inputs: { users: [{ username: "app", password: plaintext("Vq7tRw2pLx9mZk4sNb6c") }], tags: plaintext({ team: "a" }) } })]));
        const props = state.resources[0].properties as any;
        assert.deepStrictEqual(props.users[0].password, secret("Vq7tRw2pLx9mZk4sNb6c"));
        assert.deepStrictEqual(props.tags, secret({ team: "a" }));
        assert.strictEqual(state.secrets.plaintext, 2);
    });

    it("turns output values and resource references into what the engine sends", () => {
        const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
        const REF = "5cf8f73096256a8f31e491e813e4eb8e";
        const state = stateFromExport(exportOf([...baseResources(), broker({
            inputs: {
                a: { [SIG_KEY]: OUTPUT, value: "known", dependencies: [] },
                b: { [SIG_KEY]: OUTPUT, secret: true, value: "hidden" },
                c: { [SIG_KEY]: OUTPUT },
                d: { [SIG_KEY]: REF, urn: "urn:pulumi:prod::messaging::aws:kms/key:Key::k", id: "key-1" },
                e: { [SIG_KEY]: "ffffffffffffffffffffffffffffffff" },
            },
        })], 4));
        const props = state.resources[0].properties;
        assert.strictEqual(props.a, "known");
        assert.deepStrictEqual(props.b, secret("hidden"));
        assert.strictEqual(props.c, unknown.string);
        assert.strictEqual(props.d, "key-1");
        assert.strictEqual(props.e, unknown.string);
    });

    it("skips resources pending deletion and does not analyze external (read) resources one by one", () => {
        const state = stateFromExport(exportOf([...baseResources(),
            broker({ delete: true }),
            broker({ urn: "urn:pulumi:prod::messaging::aws:mq/broker:Broker::existing", external: true })]));
        assert.deepStrictEqual(state.resources, []);
        assert.deepStrictEqual(state.stackResources.map(r => r.name), ["messaging-prod", "default_7_48_0", "existing"]);
    });

    it("reads a component child's type from a nested URN", () => {
        assert.deepStrictEqual(parseUrn("urn:pulumi:prod::messaging::my:index:Mq$aws:mq/broker:Broker::orders"), {
            stack: "prod", project: "messaging", type: "aws:mq/broker:Broker", name: "orders",
        });
        assert.strictEqual(parseUrn("arn:aws:mq:us-east-1:1:broker"), undefined);
    });

    it("accepts an empty stack (exported before the first update)", () => {
        const state = stateFromExport({ version: 3, deployment: { manifest: {} } });
        assert.deepStrictEqual(state.stackResources, []);
        assert.strictEqual(state.stack, undefined);
    });

    it("accepts a backend checkpoint file, which wraps the same deployment", () => {
        const state = stateFromExport({ version: 3, checkpoint: { stack: "prod", latest: { resources: [...baseResources(), broker()] } } });
        assert.deepStrictEqual(state.resources.map(r => r.urn), [BROKER]);
    });

    it("reads every example", () => {
        for (const file of fs.readdirSync(EXAMPLES).filter(f => f.endsWith(".json"))) {
            const state = stateFromExport(readExample(file), file);
            assert.ok(state.resources.some(r => r.type === "aws:mq/broker:Broker" || r.type === "aws-native:amazonmq:Broker"), `${file} has a broker`);
        }
    });

    describe("refuses, with one clear line", () => {
        it("an old deployment format", () => {
            assert.match(errorOf(() => stateFromExport({ version: 1, deployment: {} }, "s.json")), /version 1; export it with Pulumi CLI 3/);
        });
        it("a future deployment format", () => {
            assert.match(errorOf(() => stateFromExport({ version: 5, deployment: {} }, "s.json")), /version 5; this tool reads versions 3 and 4/);
        });
        it("an old checkpoint", () => {
            assert.match(errorOf(() => stateFromExport({ version: 2, checkpoint: { latest: {} } }, "s.json")), /version 2 checkpoint/);
        });
        it("a package.json", () => {
            assert.match(errorOf(() => stateFromExport({ name: "x", version: "1.0.0", dependencies: {} }, "package.json")), /an npm package.json/);
        });
        it("a YAML file", () => {
            assert.match(errorOf(() => parseStackExport("name: messaging\nruntime: nodejs\n", "Pulumi.yaml")), /is YAML/);
        });
        it("a resource without a URN", () => {
            assert.match(errorOf(() => stateFromExport(exportOf([{ type: "x" }]), "s.json")), /resource #1 has no valid URN/);
        });
        it("resources that are not a list", () => {
            assert.match(errorOf(() => stateFromExport({ version: 3, deployment: { resources: {} } }, "s.json")), /not a list/);
        });
        it("absurdly nested properties", () => {
            let deep: unknown = "leaf";
            for (let i = 0; i < 1000; i++) {
                deep = [deep];
            }
            assert.match(errorOf(() => stateFromExport(exportOf([broker({ inputs: { deep } })]), "s.json")), /nests deeper/);
        });
        it("a plaintext secret that is not JSON, without quoting it", () => {
            const message = errorOf(() => stateFromExport(exportOf([broker({
                inputs: { users: [{ password: { [SIG_KEY]: SECRET_SIG, plaintext: "Hy3uJd8fKe5wQa1zXr7g" } }] },
            })]), "s.json"));
            assert.match(message, /plaintext secret at users\[0\]\.password is not valid JSON/);
            assert.ok(!message.includes("Hy3uJd8fKe5wQa1zXr7g"));
        });
        it("invalid JSON, without quoting the text around the error (it may be a secret)", () => {
            const text = '{"version": 3, "deployment": {"resources": [{"plaintext": "\\"Tn4bWc9xMv2kPs6yLq8e\\"" x}]}}';
            const message = errorOf(() => parseStackExport(text, "s.json"));
            assert.match(message, /s\.json is not valid JSON at line 1, column \d+/);
            assert.ok(!message.includes("Tn4bWc9xMv2kPs6yLq8e"));
        });
        it("truncated JSON", () => {
            const text = fs.readFileSync(path.join(EXAMPLES, "insecure-stack.json"), "utf8");
            assert.match(errorOf(() => parseStackExport(text.slice(0, text.length / 2), "s.json")), /truncated/);
        });
    });

    describe("reading files", () => {
        let scratch: ReturnType<typeof scratchDir>;
        before(() => { scratch = scratchDir(); });
        after(() => scratch.cleanup());

        it("reads UTF-16 with a BOM (PowerShell's `>`) and UTF-8 with a BOM", () => {
            const json = JSON.stringify(exportOf([...baseResources(), broker()]));
            const utf16 = path.join(scratch.dir, "utf16.json");
            fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]));
            assert.strictEqual(readStackExport(utf16).state.resources.length, 1);
            const utf8 = path.join(scratch.dir, "utf8.json");
            fs.writeFileSync(utf8, "\uFEFF" + json);
            assert.strictEqual(readStackExport(utf8).state.resources.length, 1);
        });

        it("refuses a file over the size cap before reading it", () => {
            const big = path.join(scratch.dir, "big.json");
            fs.writeFileSync(big, "x".repeat(2048));
            assert.match(errorOf(() => readStackExport(big, { maxBytes: 1024 })), /big\.json is 2 KB, over the 1 KB limit/);
        });

        it("says a missing file does not exist and a directory is not a file", () => {
            assert.match(errorOf(() => readStackExport(path.join(scratch.dir, "nope.json"))), /does not exist/);
            assert.match(errorOf(() => readStackExport(scratch.dir)), /is a directory/);
        });
    });
});
