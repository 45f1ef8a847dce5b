// engine/state.ts keeps each resource's `sourcePosition` (the program file and line the engine recorded when the
// program registered it) beside the state, for the CLI to point findings at; the pack is never sent it.
import * as assert from "assert";
import { MAX_SOURCE_POSITION, stateFromExport } from "../../engine/state";

const STACK = "urn:pulumi:prod::messaging::pulumi:pulumi:Stack::messaging-prod";
const BROKER = "urn:pulumi:prod::messaging::aws:mq/broker:Broker::orders";
const OTHER = "urn:pulumi:prod::messaging::aws:mq/broker:Broker::billing";

function exportOf(resources: object[]): object {
    return { version: 3, deployment: { manifest: { time: "2026-03-09T14:21:37Z", magic: "x", version: "v3.248.0" }, resources } };
}

const broker = (urn: string, extra: object = {}) =>
    ({ urn, custom: true, id: "b-1", type: "aws:mq/broker:Broker", parent: STACK, inputs: { brokerName: "x" }, outputs: {}, ...extra });

describe("engine/state: source positions", () => {
    it("keeps the sourcePosition of each resource that has one, by URN", () => {
        const state = stateFromExport(exportOf([
            { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {}, sourcePosition: "project:///index.ts#1" },
            broker(BROKER, { sourcePosition: "project:///src/brokers.ts#12,5" }),
            broker(OTHER),
        ]));
        assert.deepStrictEqual([...state.sourcePositions], [
            [STACK, "project:///index.ts#1"],
            [BROKER, "project:///src/brokers.ts#12,5"],
        ]);
    });

    it("ignores a sourcePosition that is not a string, is empty or is longer than a real one", () => {
        const state = stateFromExport(exportOf([
            broker(BROKER, { sourcePosition: { uri: "file:///x.ts", line: 3 } }),
            broker(OTHER, { sourcePosition: `project:///${"a".repeat(MAX_SOURCE_POSITION)}.ts#1` }),
            broker(`${BROKER}-2`, { sourcePosition: "" }),
        ]));
        assert.strictEqual(state.sourcePositions.size, 0);
    });

    it("does not send the sourcePosition to the pack", () => {
        const state = stateFromExport(exportOf([broker(BROKER, { sourcePosition: "project:///index.ts#12,5" })]));
        assert.ok(!JSON.stringify(state.resources).includes("sourcePosition"));
        assert.ok(!JSON.stringify(state.stackResources).includes("index.ts"));
    });
});
