// engine/state.ts on hostile stacks: which decoded values were secret (so the CLI can redact them wherever
// they surface), and resources the policy SDK cannot decode (a hash-only asset or archive), which are set
// aside with a note instead of aborting the run.
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY } from "../../engine/properties";
import { parseStackExport, stateFromExport } from "../../engine/state";

const STACK = "urn:pulumi:prod::messaging::pulumi:pulumi:Stack::messaging-prod";
const PROVIDER = "urn:pulumi:prod::messaging::pulumi:providers:aws::default_7_48_0";
const BROKER = "urn:pulumi:prod::messaging::aws:mq/broker:Broker::orders";
const LAMBDA = "urn:pulumi:prod::messaging::aws:lambda/function:Function::consumer";
const OBJECT = "urn:pulumi:prod::messaging::aws:s3/bucketObjectv2:BucketObjectv2::config";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

function exportOf(resources: object[]): object {
    return { version: 3, deployment: { manifest: { time: "2026-03-09T14:21:37Z", magic: "x", version: "v3.248.0" }, resources } };
}

const plaintext = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) });

const baseResources = () => [
    { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
    { urn: PROVIDER, custom: true, id: "p-1", type: "pulumi:providers:aws", inputs: { region: "us-east-1" }, outputs: { region: "us-east-1" } },
];

function custom(urn: string, type: string, inputs: object, outputs: object = inputs) {
    return { urn, custom: true, id: urn.slice(-6), type, parent: STACK, provider: `${PROVIDER}::p-1`, inputs, outputs };
}

const broker = (inputs: object = {}) => custom(BROKER, "aws:mq/broker:Broker", { brokerName: "orders", publiclyAccessible: true, ...inputs });

describe("engine/state: secret values", () => {
    it("lists every string found inside a plaintext secret, nested ones included", () => {
        const state = stateFromExport(exportOf([...baseResources(), broker({
            brokerName: plaintext("orders-prod-7f3a"),
            users: plaintext([{ username: "svc-orders", password: "Zq8mWv3nRt6yLp2xKb9c", groups: ["admins"] }]),
            encryptionOptions: { kmsKeyId: plaintext("arn:aws:kms:us-east-1:111122223333:key/abcd"), useAwsOwnedKey: false },
            storageType: "efs",
        })]));
        assert.deepStrictEqual([...state.secretValues].sort(), [
            "Zq8mWv3nRt6yLp2xKb9c", "admins", "arn:aws:kms:us-east-1:111122223333:key/abcd", "orders-prod-7f3a", "svc-orders",
        ]);
        assert.ok(!state.secretValues.has("efs"), "a plain value is not listed");
        assert.ok(!state.secretValues.has("orders"), "a plain value is not listed");
    });

    it("lists secrets in outputs, in wire form ({value}) and in secret output values", () => {
        const state = stateFromExport(exportOf([...baseResources(),
            custom(BROKER, "aws:mq/broker:Broker", { brokerName: "orders", version: { [SIG_KEY]: SECRET_SIG, value: "5.18" } },
                { brokerName: "orders", arn: plaintext("arn:aws:mq:us-east-1:111122223333:broker:orders:b-1"),
                    tags: { [SIG_KEY]: OUTPUT_VALUE_SIG, value: { team: "payments-secret-team" }, secret: true } }),
        ]));
        assert.deepStrictEqual([...state.secretValues].sort(), [
            "5.18", "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1", "payments-secret-team",
        ]);
    });

    it("lists nothing for an encrypted secret (its value is never known here) or a stack without secrets", () => {
        const encrypted = { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBB" };
        assert.strictEqual(stateFromExport(exportOf([...baseResources(), broker({ users: encrypted })])).secretValues.size, 0);
        assert.strictEqual(stateFromExport(exportOf([...baseResources(), broker()])).secretValues.size, 0);
    });

    it("is there on a parsed text too", () => {
        const state = parseStackExport(JSON.stringify(exportOf([...baseResources(), broker({ brokerName: plaintext("hidden-name") })])));
        assert.ok(state.secretValues.has("hidden-name"));
    });
});

describe("engine/state: resources the policy SDK cannot decode", () => {
    const hashOnlyArchive = { [SIG_KEY]: ARCHIVE_SIG, hash: HASH };
    const hashOnlyAsset = { [SIG_KEY]: ASSET_SIG, hash: HASH };

    it("sets a resource with a hash-only archive aside with a note, and keeps everything else", () => {
        const lambda = custom(LAMBDA, "aws:lambda/function:Function", { role: "arn:aws:iam::111122223333:role/r", code: hashOnlyArchive });
        const state = stateFromExport(exportOf([...baseResources(), broker(), lambda]));
        assert.deepStrictEqual(state.resources.map(r => r.urn), [BROKER]);
        assert.deepStrictEqual(state.stackResources.map(r => r.urn), [STACK, PROVIDER, BROKER]);
        assert.strictEqual(state.skipped.length, 1);
        const [note] = state.skipped;
        assert.strictEqual(note.urn, LAMBDA);
        assert.strictEqual(note.type, "aws:lambda/function:Function");
        assert.match(note.reason, /^inputs\.code is an archive with only its hash \(no path, uri or assets\)/);
        assert.match(note.reason, /policy SDK cannot decode/);
    });

    it("sets aside a hash-only asset anywhere: nested, in an archive's assets, inside a secret, in the outputs only", () => {
        const cases: Array<[object, object, RegExp]> = [
            [{ source: hashOnlyAsset }, {}, /^inputs\.source is an asset with only its hash \(no path, text or uri\)/],
            [{ code: { [SIG_KEY]: ARCHIVE_SIG, assets: { "index.js": hashOnlyAsset } } }, {}, /^inputs\.code\.assets\["index\.js"\] is an asset/],
            [{ files: [{ body: plaintext({ [SIG_KEY]: ASSET_SIG, hash: HASH, text: "" }) }] }, {}, /^inputs\.files\[0\]\.body is an asset/],
            [{}, { source: hashOnlyAsset }, /^outputs\.source is an asset/],
            [{ code: { [SIG_KEY]: ARCHIVE_SIG, assets: { "x": "not an asset" } } }, {}, /^inputs\.code\.assets\.x is not an asset or archive/],
        ];
        for (const [inputs, outputs, reason] of cases) {
            const state = stateFromExport(exportOf([...baseResources(), custom(OBJECT, "aws:s3/bucketObjectv2:BucketObjectv2", inputs, outputs), broker()]));
            assert.deepStrictEqual(state.skipped.map(s => s.urn), [OBJECT], JSON.stringify(inputs));
            assert.match(state.skipped[0].reason, reason);
            assert.deepStrictEqual(state.resources.map(r => r.urn), [BROKER]);
        }
    });

    it("keeps assets and archives the SDK can decode", () => {
        const inputs = {
            source: { [SIG_KEY]: ASSET_SIG, hash: HASH, path: "./config.json" },
            code: { [SIG_KEY]: ARCHIVE_SIG, hash: HASH, assets: { "a.txt": { [SIG_KEY]: ASSET_SIG, text: "x" } } },
            other: { [SIG_KEY]: ARCHIVE_SIG, uri: "https://example.com/a.zip" },
        };
        const state = stateFromExport(exportOf([...baseResources(), custom(OBJECT, "aws:s3/bucketObjectv2:BucketObjectv2", inputs)]));
        assert.deepStrictEqual(state.skipped, []);
        assert.deepStrictEqual(state.resources.map(r => r.urn), [OBJECT]);
    });

    it("bounds the note and never quotes a value", () => {
        const key = "k".repeat(5000);
        const state = stateFromExport(exportOf([...baseResources(), custom(OBJECT, "aws:s3/bucketObjectv2:BucketObjectv2",
            { [key]: { [SIG_KEY]: ASSET_SIG, hash: "secret-hash-value" } })]));
        assert.ok(state.skipped[0].reason.length <= 400, `${state.skipped[0].reason.length} characters`);
        assert.ok(!state.skipped[0].reason.includes("secret-hash-value"));
    });
});
