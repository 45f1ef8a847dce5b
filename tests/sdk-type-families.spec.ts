// policies/lib/sdk-type-families.ts on the SDK's own server handlers (@pulumi/policy server.js): with it, a
// resource that is neither a broker nor a configuration is not applicable before the SDK decodes it, a stack
// without one is skipped, and every answer on brokers and configurations of either provider is the same as
// without it, also with requests interleaved.
import * as assert from "assert";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { policies } from "../policies";
import { BROKER_TYPE } from "../policies/lib/broker";
import { CONFIGURATION_TYPE } from "../policies/lib/configuration-facts";
import { installDecodeCache, uninstallDecodeCache } from "../policies/lib/sdk-decode-cache";
import { familyMarker, installTypeFamilies, restoreTrueTypes, trueType, uninstallTypeFamilies } from "../policies/lib/sdk-type-families";
import { TESTED_SDK_VERSION } from "../policies/lib/sdk-version";
import { compliantActiveMq, withChange } from "./support/fixtures";
import { call, countedStruct, Handler } from "./support/sdk-server";
import { activeMqConfiguration, nativeBroker, nativeConfiguration, NATIVE_TYPES, urnOf } from "./support/native";

 
const sdkServer = require("@pulumi/policy/server");
 
const sdkPolicy = require("@pulumi/policy/policy");

interface Resource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

/** The message the engine sends for one resource: an AnalyzeRequest, or an AnalyzerResource of a stack. */
function message<M extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(into: M, r: Resource, counter: { decodes: number }): M {
    into.setType(r.type);
    into.setUrn(urnOf(r.type, r.name));
    into.setName(r.name);
    into.setProperties(countedStruct(r.props, counter));
    into.setOptions(new analyzerpb.AnalyzerResourceOptions());
    return into;
}

function analyzeRequest(r: Resource, counter = { decodes: 0 }): analyzerpb.AnalyzeRequest {
    return message(new analyzerpb.AnalyzeRequest(), r, counter);
}

function stackRequest(resources: Resource[], counter = { decodes: 0 }): analyzerpb.AnalyzeStackRequest {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(r => message(new analyzerpb.AnalyzerResource(), r, counter)));
    return req;
}

/** What a response says, comparable: each diagnostic's policy, URN and message, and each not-applicable reason. */
function summary(res: analyzerpb.AnalyzeResponse) {
    return {
        diagnostics: res.getDiagnosticsList().map(d => `${d.getPolicyname()} ${d.getUrn()} ${d.getEnforcementlevel()} ${d.getMessage()}`).sort(),
        notApplicable: res.getNotApplicableList().map(n => `${n.getPolicyName()}: ${n.getReason()}`).sort(),
    };
}

const violating = withChange(compliantActiveMq(), { publiclyAccessible: true, deploymentMode: "SINGLE_INSTANCE", tags: { team: "payments" } });
const leakyData = activeMqConfiguration().data as string;
const RESOURCES: Resource[] = [
    { type: BROKER_TYPE, name: "aws-broker", props: violating },
    { type: NATIVE_TYPES.broker, name: "native-broker", props: nativeBroker(violating) },
    { type: CONFIGURATION_TYPE, name: "aws-config", props: activeMqConfiguration(leakyData.replace('userName="bridge"', 'userName="bridge" password="Hunter2-Bridge-9"')) },
    { type: NATIVE_TYPES.configuration, name: "native-config", props: nativeConfiguration(activeMqConfiguration()) },
    { type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: false, deletionWindowInDays: 7 } },
    { type: "aws-native:kms:Key", name: "native-key", props: { enableKeyRotation: false } },
    { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: { ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 5671, toPort: 5671, protocol: "tcp" }] } },
];
const resourcePolicies = policies.filter(p => !("validateStack" in p));

describe("the SDK's fast path for policies that judge both providers' types (sdk-type-families)", () => {
    afterEach(() => {
        uninstallTypeFamilies(policies);
        uninstallDecodeCache();
    });

    /** Each resource's Analyze answer from the SDK's handler, the glue installed or not. */
    async function analyzeAll(installed: boolean): Promise<ReturnType<typeof summary>[]> {
        if (installed) {
            assert.strictEqual(installTypeFamilies(policies), true);
        }
        const analyze = sdkServer.makeAnalyzeRpcFun("pack", "1.0.0", "mandatory", policies) as Handler;
        const out = [];
        for (const r of RESOURCES) {
            out.push(summary(await call<analyzerpb.AnalyzeResponse>(analyze, analyzeRequest(r))));
        }
        uninstallTypeFamilies(policies);
        return out;
    }

    it("marks each broker and configuration policy with its family, whose SDK reason is the pack's own", () => {
        assert.strictEqual(installTypeFamilies(policies), true);
        for (const p of policies) {
            const fns = "validateStack" in p ? [p.validateStack] : [p.validateResource, p.remediateResource].filter(f => f);
            for (const fn of fns) {
                assert.strictEqual(sdkPolicy.getPulumiType(fn), familyMarker(p.types), p.name);
            }
        }
        assert.strictEqual(`'${familyMarker([BROKER_TYPE, NATIVE_TYPES.broker])}'`, `'${BROKER_TYPE}' or '${NATIVE_TYPES.broker}'`);
        uninstallTypeFamilies(policies);
        for (const p of policies) {
            assert.strictEqual(sdkPolicy.getPulumiType("validateStack" in p ? p.validateStack : p.validateResource), undefined, p.name);
        }
    });

    it("answers Analyze on a resource of any other type without decoding it, and says which types apply", async () => {
        installDecodeCache();
        assert.strictEqual(installTypeFamilies(policies), true);
        const analyze = sdkServer.makeAnalyzeRpcFun("pack", "1.0.0", "mandatory", policies) as Handler;
        for (const r of RESOURCES.filter(x => !x.type.includes("mq"))) {
            const counter = { decodes: 0 };
            const res = await call<analyzerpb.AnalyzeResponse>(analyze, analyzeRequest(r, counter));
            assert.strictEqual(counter.decodes, 0, r.type);
            assert.deepStrictEqual(res.getDiagnosticsList(), []);
            const enabled = resourcePolicies.filter(p => p.enforcementLevel !== "disabled");
            assert.deepStrictEqual(res.getNotApplicableList().map(n => n.getPolicyName()).sort(), enabled.map(p => p.name).sort());
            for (const na of res.getNotApplicableList()) {
                assert.match(na.getReason(), /^Policy only applies to resources of type 'aws:mq\/(broker:Broker|configuration:Configuration)' or 'aws-native:amazonmq:(Broker|Configuration)'$/);
            }
        }
    });

    it("gives the same Analyze answer on every resource as without it: brokers and configurations of both providers are judged", async () => {
        const without = await analyzeAll(false);
        const withFamilies = await analyzeAll(true);
        assert.deepStrictEqual(withFamilies, without);
        // The answers compared are real findings: both providers' brokers and the leaking configuration are flagged.
        for (const name of ["aws-broker", "native-broker", "aws-config"]) {
            const i = RESOURCES.findIndex(r => r.name === name);
            assert.ok(without[i].diagnostics.some(d => d.includes("mq-broker-") || d.includes("mq-configuration-")), name);
        }
        const native = without[RESOURCES.findIndex(r => r.name === "native-broker")].diagnostics.join("\n");
        assert.match(native, /mq-broker-no-public-access .*publiclyAccessible is true/s);
    });

    it("gives the same answers with requests interleaved: no answer depends on which request came before", async () => {
        const serial = await analyzeAll(false);
        installDecodeCache();
        assert.strictEqual(installTypeFamilies(policies), true);
        const analyze = sdkServer.makeAnalyzeRpcFun("pack", "1.0.0", "mandatory", policies) as Handler;
        const order = Array.from({ length: 140 }, (_, i) => (i * 5) % RESOURCES.length);
        const answers = await Promise.all(order.map(i => call<analyzerpb.AnalyzeResponse>(analyze, analyzeRequest(RESOURCES[i]))));
        answers.forEach((res, k) => assert.deepStrictEqual(summary(res), serial[order[k]], `${RESOURCES[order[k]].name} (request ${k})`));
    });

    it("gives the same AnalyzeStack answer as without it, and skips a stack without a broker before decoding it", async () => {
        const stack = async (resources: Resource[], counter = { decodes: 0 }) =>
            summary(await call<analyzerpb.AnalyzeResponse>(
                sdkServer.makeAnalyzeStackRpcFun("pack", "1.0.0", "mandatory", policies) as Handler, stackRequest(resources, counter)));
        const without = await stack(RESOURCES);
        assert.ok(without.diagnostics.some(d => d.includes("aws-native:amazonmq:Broker::native-broker")), "the native broker is judged");
        assert.strictEqual(installTypeFamilies(policies), true);
        assert.deepStrictEqual(await stack(RESOURCES), without);
        const onlyNative = RESOURCES.filter(r => r.type !== BROKER_TYPE);
        const nativeAnswer = await stack(onlyNative);
        uninstallTypeFamilies(policies);
        assert.deepStrictEqual(nativeAnswer, await stack(onlyNative));

        assert.strictEqual(installTypeFamilies(policies), true);
        const counter = { decodes: 0 };
        const noBroker = await stack(RESOURCES.filter(r => !r.type.includes("mq")), counter);
        assert.strictEqual(counter.decodes, 0);
        assert.deepStrictEqual(noBroker.diagnostics, []);
    });

    it("gives the same Remediate answer on an aws-native broker as without it", async () => {
        const remediating = policies.filter(p => "remediateResource" in p && p.remediateResource);
        assert.ok(remediating.length > 0);
        const remediate = (installed: boolean) => {
            if (installed) {
                assert.strictEqual(installTypeFamilies(policies), true);
            }
            // Every policy that can remediate is asked to (the SDK runs remediations at level "remediate" only).
            const atRemediate = policies.map(p => (remediating.includes(p) ? { ...p, enforcementLevel: "remediate" as const } : p));
            const handler = sdkServer.makeRemediateRpcFun("pack", "1.0.0", "mandatory", atRemediate) as Handler;
            const native = RESOURCES.find(r => r.type === NATIVE_TYPES.broker)!;
            return call<analyzerpb.RemediateResponse>(handler, analyzeRequest({ ...native, props: { ...native.props, autoMinorVersionUpgrade: false } }));
        };
        const answer = (res: analyzerpb.RemediateResponse) => res.getRemediationsList().map(r => [r.getPolicyname(), JSON.stringify(r.getProperties()?.toJavaScript())]);
        const without = answer(await remediate(false));
        assert.ok(without.length > 0, "some remediation applies to the violating broker");
        const withFamilies = answer(await remediate(true));
        assert.deepStrictEqual(withFamilies, without);
    });

    it("installs only on the tested SDK and when no type would be in two families or also a single-type policy's", () => {
        const getType = analyzerpb.AnalyzeRequest.prototype.getType;
        assert.strictEqual(installTypeFamilies(policies, "1.22.0"), false);
        assert.strictEqual(installTypeFamilies(policies, "1.21.1"), false);
        const fn = () => undefined;
        const conflicting = [
            { types: [BROKER_TYPE, NATIVE_TYPES.broker], validateResource: fn },
            { types: [NATIVE_TYPES.broker], validateResource: () => undefined },
        ];
        assert.strictEqual(installTypeFamilies(conflicting, TESTED_SDK_VERSION), false);
        const twoFamilies = [
            { types: [BROKER_TYPE, NATIVE_TYPES.broker], validateResource: fn },
            { types: [BROKER_TYPE, "aws:mq/other:Other"], validateResource: () => undefined },
        ];
        assert.strictEqual(installTypeFamilies(twoFamilies, TESTED_SDK_VERSION), false);
        assert.strictEqual(analyzerpb.AnalyzeRequest.prototype.getType, getType, "nothing was patched");
        assert.strictEqual((fn as { __pulumiType?: string }).__pulumiType, undefined, "nothing was marked");
        assert.strictEqual(trueType(familyMarker([BROKER_TYPE, NATIVE_TYPES.broker]), "urn:x"), familyMarker([BROKER_TYPE, NATIVE_TYPES.broker]),
            "not installed, a type is taken as it is");
    });

    it("gives a stack resource its true type back by URN, and the family's first type for a URN the SDK never read", () => {
        assert.strictEqual(installTypeFamilies(policies), true);
        const req = analyzeRequest(RESOURCES[1]);
        const marker = familyMarker([BROKER_TYPE, NATIVE_TYPES.broker]);
        assert.strictEqual(req.getType(), marker);
        assert.strictEqual(trueType(marker, req.getUrn()), NATIVE_TYPES.broker);
        assert.strictEqual(trueType(marker, "urn:never-seen"), BROKER_TYPE);
        assert.strictEqual(trueType("aws:kms/key:Key", req.getUrn()), "aws:kms/key:Key");
        const resources = [{ type: marker, urn: req.getUrn() }, { type: "aws:kms/key:Key", urn: "urn:k" }];
        restoreTrueTypes(resources);
        assert.deepStrictEqual(resources.map(r => r.type), [NATIVE_TYPES.broker, "aws:kms/key:Key"]);
    });
});
