// engine/wire.ts writes the Analyzer requests directly; they must be byte for byte what google-protobuf
// writes for the messages engine/session.ts builds with it (encodeAnalyzeRequest, encodeStackResource, toStruct),
// so the pack receives exactly what it did before: same properties, unknowns, secrets and dependencies.
import * as assert from "assert";
import * as path from "path";
import * as fc from "fast-check";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { secret, unknown } from "../../engine/properties";
import { AnalyzerResourceInput, encodeAnalyzeRequest, encodeStackResource, toStruct } from "../engine/reference-encoder";
import { readStackExport } from "../../engine/state";
import { RequestEncoder, structBytes } from "../../engine/wire";
import { EXAMPLES } from "./support";

function reference(resource: AnalyzerResourceInput, rpc: "Analyze" | "Remediate"): Buffer {
    return Buffer.from(encodeAnalyzeRequest(resource, rpc).serializeBinary());
}

function referenceStack(resources: AnalyzerResourceInput[]): Buffer {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(encodeStackResource));
    return Buffer.from(req.serializeBinary());
}

function assertSameBytes(actual: Buffer, expected: Buffer, what: string) {
    if (!actual.equals(expected)) {
        let at = 0;
        while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) {
            at++;
        }
        assert.fail(`${what}: bytes differ at offset ${at} (lengths ${actual.length} and ${expected.length})`);
    }
}

const PROVIDER = { urn: "urn:pulumi:prod::messaging::pulumi:providers:aws::default", type: "pulumi:providers:aws", name: "default", properties: { region: "us-east-1", __internal: "x" } };

const leaf = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 12 }),
    // Surrogates paired, lone and out of order, which google-protobuf writes its own way.
    fc.array(fc.constantFrom("a", "é", "\u{1F600}", "\ud800", "\udbff", "\udc00", "\udfff"), { maxLength: 8 }).map(a => a.join("")),
    fc.string({ minLength: 100, maxLength: 400 }), // lengths past one varint byte
    fc.double(), // NaN, infinities and -0 included
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constantFrom(...Object.values(unknown)),
);
const { value } = fc.letrec<{ value: unknown }>(tie => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("value"), { maxLength: 5 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__defaults", "__meta", "", "é", "10", "9")), tie("value"), { maxKeys: 6 }),
        tie("value").map(v => secret(v))),
}));
const props = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__defaults", "brokerName", "users")), value, { maxKeys: 8 });
const strings = fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 });
const resource: fc.Arbitrary<AnalyzerResourceInput> = fc.record({
    urn: fc.string({ maxLength: 60 }),
    type: fc.constantFrom("aws:mq/broker:Broker", "aws:kms/key:Key", ""),
    name: fc.string({ maxLength: 20 }),
    properties: props,
    parent: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    dependencies: fc.option(strings, { nil: undefined }),
    propertyDependencies: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), strings, { maxKeys: 4 }), { nil: undefined }),
    provider: fc.option(fc.constant(PROVIDER), { nil: undefined }),
    options: fc.option(fc.record({
        protect: fc.option(fc.boolean(), { nil: undefined }),
        ignoreChanges: fc.option(strings, { nil: undefined }),
        deleteBeforeReplace: fc.option(fc.boolean(), { nil: undefined }),
        aliases: fc.option(strings, { nil: undefined }),
        additionalSecretOutputs: fc.option(strings, { nil: undefined }),
    }, { requiredKeys: [] }), { nil: undefined }),
}, { requiredKeys: ["urn", "type", "name", "properties"] });

describe("engine/wire request encoding", () => {
    it("writes the same bytes as google-protobuf for every resource of the examples (Analyze, Remediate, AnalyzeStack)", () => {
        for (const file of ["compliant-activemq-stack.json", "compliant-rabbitmq-stack.json", "insecure-stack.json"]) {
            const { state } = readStackExport(path.join(EXAMPLES, file));
            const encoder = new RequestEncoder();
            for (const r of state.resources) {
                assertSameBytes(encoder.analyzeRequest(r, "Analyze"), reference(r, "Analyze"), `${file} Analyze ${r.urn}`);
                assertSameBytes(encoder.analyzeRequest(r, "Remediate"), reference(r, "Remediate"), `${file} Remediate ${r.urn}`);
            }
            assertSameBytes(encoder.analyzeStackRequest(state.stackResources), referenceStack(state.stackResources), `${file} AnalyzeStack`);
        }
    });

    it("writes the same bytes as google-protobuf for generated resources: secrets, unknowns, odd text, numbers, nulls, undefined", () => {
        fc.assert(fc.property(fc.array(resource, { maxLength: 6 }), resources => {
            // One encoder for the batch, as the CLI uses it (the provider sub-message is reused).
            const encoder = new RequestEncoder();
            for (const r of resources) {
                assertSameBytes(encoder.analyzeRequest(r, "Analyze"), reference(r, "Analyze"), "Analyze");
                assertSameBytes(encoder.analyzeRequest(r, "Remediate"), reference(r, "Remediate"), "Remediate");
            }
            assertSameBytes(encoder.analyzeStackRequest(resources), referenceStack(resources), "AnalyzeStack");
        }), { numRuns: 300 });
    });

    it("writes a Struct as toStruct does, including large values whose lengths take several varint bytes", () => {
        for (const text of ["a\ud800b", "\ud800\ud800\udc00", "x\ud800", "\udc00\ud800", "\ud83d\ude00\ud83d"]) {
            assertSameBytes(structBytes({ text }), Buffer.from(toStruct({ text }).serializeBinary()), JSON.stringify(text));
        }
        const big = { text: "x".repeat(70_000), list: Array.from({ length: 3000 }, (_, i) => ({ i, s: `é${i}\u{1F600}` })), lone: "a\ud800b".repeat(50) };
        assertSameBytes(structBytes(big), Buffer.from(toStruct(big).serializeBinary()), "large struct");
        assertSameBytes(structBytes({ __defaults: [], a: 1 }, { keepInternalKeys: true }),
            Buffer.from(toStruct({ __defaults: [], a: 1 }, { keepInternalKeys: true }).serializeBinary()), "internal keys kept");
    });

    it("refuses what has no Struct form with google-protobuf's error", () => {
        for (const bad of [{ f: () => 1 }, { s: Symbol("x") }, { b: BigInt(1) }, { hole: [1, , 3] }]) {
            assert.throws(() => toStruct(bad as Record<string, unknown>), /Unexpected struct type/);
            assert.throws(() => structBytes(bad as Record<string, unknown>), /Unexpected struct type/);
        }
    });
});
