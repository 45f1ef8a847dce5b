import * as assert from "assert";
import { mqBrokerHighAvailability as policy } from "../../policies/mq-broker-high-availability";
import { compliantActiveMq, compliantRabbitMq, passwords, withChange } from "../support/fixtures";
import { analyze, testPassword, unknown } from "../support/runtime";

const activeMq = compliantActiveMq;
const rabbitMq = compliantRabbitMq;

async function messages(broker: Record<string, unknown>): Promise<string[]> {
    return (await analyze(policy, broker)).map(v => v.message);
}

const replicationUsers = (replicationUser: unknown) => [
    { username: "orders-admin", password: passwords.activeAdmin, consoleAccess: true, groups: ["admins"] },
    { username: "orders-replicator", password: testPassword("Rk8vPw3nQz6tLm1xYb5c"), replicationUser },
];

describe("mq-broker-high-availability", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMq()), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMq()), []);
    });

    it("flags a single-instance ActiveMQ broker, asking for active/standby on a replacement broker", async () => {
        const violations = await analyze(policy, withChange(activeMq(), { deploymentMode: "SINGLE_INSTANCE", subnetIds: ["subnet-0a1b2c3d4e5f60001"] }));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].message, /deploymentMode is SINGLE_INSTANCE; set ACTIVE_STANDBY_MULTI_AZ/);
        assert.match(violations[0].message, /cannot change on an existing broker: a replacement broker is needed/);
    });

    it("flags an ActiveMQ broker without deploymentMode, because the default is SINGLE_INSTANCE", async () => {
        const found = await messages(withChange(activeMq(), { deploymentMode: undefined }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /deploymentMode is SINGLE_INSTANCE/);
    });

    it("flags a single-instance RabbitMQ broker, asking for CLUSTER_MULTI_AZ and never active/standby", async () => {
        const found = await messages(withChange(rabbitMq(), { deploymentMode: "SINGLE_INSTANCE" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /deploymentMode is SINGLE_INSTANCE; set CLUSTER_MULTI_AZ/);
        assert.match(found[0], /a replacement broker is needed/);
        assert.doesNotMatch(found[0], /ACTIVE_STANDBY/);
    });

    it("flags a RabbitMQ broker that asks for active/standby, which RabbitMQ does not have", async () => {
        const found = await messages(withChange(rabbitMq(), { deploymentMode: "ACTIVE_STANDBY_MULTI_AZ" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /ACTIVE_STANDBY_MULTI_AZ, which is for ActiveMQ only and RabbitMQ rejects; set CLUSTER_MULTI_AZ/);
    });

    it("flags an ActiveMQ broker that asks for CLUSTER_MULTI_AZ, which is RabbitMQ only", async () => {
        const found = await messages(withChange(activeMq(), { deploymentMode: "CLUSTER_MULTI_AZ" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /CLUSTER_MULTI_AZ, which is for RabbitMQ only and ActiveMQ rejects; set ACTIVE_STANDBY_MULTI_AZ/);
    });

    it("flags a deploymentMode that is not a valid mode", async () => {
        const found = await messages(withChange(activeMq(), { deploymentMode: "MULTI_AZ" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /deploymentMode is not a valid mode \(SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ or CLUSTER_MULTI_AZ\)/);
    });

    it("compares engineType and deploymentMode case-insensitively", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { engineType: "activemq", deploymentMode: "Active_Standby_Multi_AZ" })), []);
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { engineType: "RABBITMQ", deploymentMode: "cluster_multi_az" })), []);
        const found = await messages(withChange(rabbitMq(), { engineType: "rabbitMQ", deploymentMode: "single_instance" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /set CLUSTER_MULTI_AZ/);
    });

    it("flags an ActiveMQ active/standby broker with a single subnet", async () => {
        const found = await messages(withChange(activeMq(), { subnetIds: ["subnet-0a1b2c3d4e5f60001"] }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /subnetIds has only one distinct subnet; ACTIVE_STANDBY_MULTI_AZ needs exactly two distinct subnetIds/);
    });

    it("flags an ActiveMQ active/standby broker whose two subnetIds are the same subnet", async () => {
        const found = await messages(withChange(activeMq(), { subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"] }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /only one distinct subnet/);
    });

    it("flags an ActiveMQ active/standby broker with three subnets", async () => {
        const found = await messages(withChange(activeMq(), { subnetIds: ["subnet-1", "subnet-2", "subnet-3"] }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /subnetIds has 3 distinct subnets/);
    });

    it("flags an ActiveMQ active/standby broker without subnetIds, which would land in default-VPC subnets", async () => {
        const found = await messages(withChange(activeMq(), { subnetIds: undefined }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /subnetIds has no subnet/);
    });

    it("does not judge subnet counts on a RabbitMQ cluster", async () => {
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { subnetIds: ["subnet-1"] })), []);
    });

    it("judges subnetIds only as far as unknown entries allow", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { subnetIds: unknown.array })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { subnetIds: ["subnet-1", unknown.string] })), []);
        const found = await messages(withChange(activeMq(), { subnetIds: ["subnet-1", "subnet-2", "subnet-3", unknown.string] }));
        assert.strictEqual(found.length, 1, "three known subnets are too many whatever the unknown one is");
        assert.strictEqual((await messages(withChange(activeMq(), { subnetIds: [unknown.string] }))).length, 1,
            "one entry can never be two subnets");
    });

    it("flags an ActiveMQ active/standby broker on ebs storage, which cannot be shared", async () => {
        const found = await messages(withChange(activeMq(), { storageType: "EBS" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /storageType is ebs, but ACTIVE_STANDBY_MULTI_AZ needs shared storage; set storageType: efs/);
    });

    it("passes an ActiveMQ active/standby broker without storageType, because the ActiveMQ default is efs", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { storageType: undefined })), []);
    });

    it("flags a RabbitMQ broker on efs storage, which RabbitMQ does not support", async () => {
        const found = await messages(withChange(rabbitMq(), { storageType: "Efs" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /storageType is efs, which RabbitMQ does not support; set storageType: ebs/);
        assert.deepStrictEqual(await messages(withChange(rabbitMq(), { storageType: "ebs" })), []);
    });

    it("flags a CRDR broker without a replication user", async () => {
        const found = await messages(withChange(activeMq(), { dataReplicationMode: "crdr" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /dataReplicationMode is CRDR but no user has replicationUser: true/);
    });

    it("passes a CRDR broker with a replication user, given as a boolean or the string \"true\"", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: replicationUsers(true) })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: replicationUsers("true") })), []);
    });

    describe("cross-region data replication (CRDR): ActiveMQ active/standby only", () => {
        const crdr = (base: Record<string, unknown>, change: Record<string, unknown> = {}) =>
            withChange(base, { dataReplicationMode: "CRDR", users: replicationUsers(true), ...change });

        it("passes CRDR on an ActiveMQ active/standby broker of 5.17.6 or later (5.18, 5.17 with AWS-managed patches)", async () => {
            for (const engineVersion of ["5.18", "5.17.6", "5.17", "5.19"]) {
                assert.deepStrictEqual(await messages(crdr(activeMq(), { engineVersion })), [], engineVersion);
            }
        });

        it("flags CRDR on a RabbitMQ broker, whatever its mode", async () => {
            const users = [{ username: "orders-app", password: passwords.rabbitApp, replicationUser: true }];
            const found = await messages(crdr(rabbitMq(), { users }));
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /dataReplicationMode is CRDR, which Amazon MQ offers for ActiveMQ only \(cross-region data replication\); remove dataReplicationMode \(NONE\) or use an ActiveMQ ACTIVE_STANDBY_MULTI_AZ broker/);
        });

        it("flags CRDR on a single-instance ActiveMQ broker, also when deploymentMode is absent (SINGLE_INSTANCE)", async () => {
            for (const deploymentMode of ["SINGLE_INSTANCE", undefined]) {
                const found = await messages(crdr(activeMq(), { deploymentMode, subnetIds: ["subnet-0a1b2c3d4e5f60001"] }));
                assert.strictEqual(found.length, 2, String(deploymentMode));
                assert.match(found[1], /dataReplicationMode is CRDR on a SINGLE_INSTANCE broker, but cross-region data replication is only available for active\/standby brokers/);
            }
        });

        it("flags CRDR on ActiveMQ older than 5.17.6", async () => {
            const found = await messages(crdr(activeMq(), { engineVersion: "5.17.3" }));
            assert.strictEqual(found.length, 1);
            assert.match(found[0], /cross-region data replication needs ActiveMQ 5\.17\.6 or later \(engineVersion is 5\.17\.3\)/);
        });

        it("reports nothing about CRDR while the engine, mode or version is unknown, or the version unparsable", async () => {
            assert.deepStrictEqual(await messages(crdr(activeMq(), { engineType: unknown.string })), []);
            assert.deepStrictEqual(await messages(crdr(activeMq(), { deploymentMode: unknown.string })), []);
            assert.deepStrictEqual(await messages(crdr(activeMq(), { engineVersion: unknown.string })), []);
            assert.deepStrictEqual(await messages(crdr(rabbitMq(), { engineType: unknown.string, users: unknown.array })), []);
        });
    });

    it("passes without dataReplicationMode, because the default is NONE", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: undefined })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "NONE" })), []);
    });

    it("does not judge the replication user while users or replicationUser is unknown", async () => {
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: unknown.array })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: replicationUsers(unknown.boolean) })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: [unknown.object] })), []);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { dataReplicationMode: unknown.string })), []);
    });

    it("keeps judging the other properties while deploymentMode is unknown", async () => {
        const found = await messages(withChange(activeMq(), { deploymentMode: unknown.string, dataReplicationMode: "CRDR" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /dataReplicationMode is CRDR/);
        const rabbit = await messages(withChange(rabbitMq(), { deploymentMode: unknown.string, storageType: "efs" }));
        assert.strictEqual(rabbit.length, 1);
        assert.match(rabbit[0], /storageType is efs/);
    });

    it("flags SINGLE_INSTANCE while the engine is unknown, naming each engine's mode", async () => {
        const found = await messages(withChange(activeMq(), { engineType: unknown.string, deploymentMode: "SINGLE_INSTANCE" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /set ACTIVE_STANDBY_MULTI_AZ \(ActiveMQ\) or CLUSTER_MULTI_AZ \(RabbitMQ\)/);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { engineType: unknown.string })), []);
    });

    it("without engineType, flags only SINGLE_INSTANCE, which is neither engine's HA mode", async () => {
        const found = await messages(withChange(activeMq(), { engineType: undefined, deploymentMode: undefined }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /deploymentMode is SINGLE_INSTANCE; set ACTIVE_STANDBY_MULTI_AZ \(ActiveMQ\) or CLUSTER_MULTI_AZ \(RabbitMQ\)/);
        assert.deepStrictEqual(await messages(withChange(activeMq(), { engineType: undefined, storageType: "ebs", subnetIds: undefined })), []);
    });

    it("flags a CRDR broker without users, which has no replication user", async () => {
        const found = await messages(withChange(activeMq(), { dataReplicationMode: "CRDR", users: undefined }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /no user has replicationUser: true/);
    });

    it("never throws on wrong types and reads them as absent", async () => {
        const found = await messages(withChange(activeMq(), { deploymentMode: null, subnetIds: { a: "subnet-1" }, storageType: 7, users: "admin", dataReplicationMode: ["CRDR"] }));
        assert.ok(found.every(m => !/could not evaluate/.test(m)), found.join("\n"));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /deploymentMode is SINGLE_INSTANCE/);
        const active = await messages(withChange(activeMq(), { subnetIds: { a: "subnet-1" }, dataReplicationMode: "CRDR", users: { username: "x" } }));
        assert.strictEqual(active.length, 2, active.join("\n"));
    });

    it("skips an excluded broker and reports advisory on a stack tagged for it", async () => {
        const broker = withChange(activeMq(), { deploymentMode: "SINGLE_INSTANCE" });
        assert.deepStrictEqual(await analyze(policy, broker, { name: "sandbox-broker", config: { exclude: ["sandbox-*"] } }), []);
        const onDev = await analyze(policy, broker, { config: { advisoryStackTags: { environment: ["dev"] } }, stackTags: { environment: "dev" } });
        assert.strictEqual(onDev.length, 1);
        assert.strictEqual(onDev[0].enforcementLevel, "advisory");
    });

    it("rejects an advisoryStackTags setting of the wrong type with a schema error", async () => {
        await assert.rejects(analyze(policy, activeMq(), { config: { advisoryStackTags: { environment: "dev" } } }),
            /mq-broker-high-availability: advisoryStackTags\.environment: Invalid type\. Expected: array/);
    });
});
