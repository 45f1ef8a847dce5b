import * as assert from "assert";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import { mqStackBrokerConfiguration as policy } from "../../policies/mq-stack-broker-configuration";
import { analyzeStack, StackResource, testPassword, unknown } from "../support/runtime";
import { broker, resource } from "../support/stacks";
import { activeMqConfiguration, rabbitMqConfiguration } from "./mq-configuration-no-embedded-credentials.spec";

function configuration(name: string, props: Record<string, unknown>): StackResource {
    return resource(CONFIGURATION_TYPE, name, props);
}

/** A broker that uses `config` through `configuration` (fed by it, as the engine records it). */
function using(name: string, config: StackResource, change: Record<string, unknown> = {}, engine: "ActiveMQ" | "RabbitMQ" = "ActiveMQ"): StackResource {
    return broker(name, { configuration: { id: config.props.id, revision: config.props.latestRevision }, ...change }, { configuration: [config] }, engine);
}

function own(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-stack-broker-configuration", () => {
    it("passes for a compliant ActiveMQ broker", async () => {
        const config = configuration("orders-config", activeMqConfiguration());
        assert.deepStrictEqual(await analyzeStack(policy, [config, using("orders", config, { engineVersion: "5.18" })]), []);
    });

    it("passes for a compliant RabbitMQ broker", async () => {
        const config = configuration("orders-config", rabbitMqConfiguration());
        assert.deepStrictEqual(await analyzeStack(policy, [config, using("orders", config, { engineVersion: "3.13", authenticationStrategy: undefined }, "RabbitMQ")]), []);
    });

    it("flags a broker whose configuration is for another engine, on the broker's URN", async () => {
        const config = configuration("orders-config", rabbitMqConfiguration());
        const orders = using("orders", config, { engineVersion: "3.13" });
        const violations = await analyzeStack(policy, [config, orders]);
        assert.strictEqual(violations[0].urn, orders.urn);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(own(violations[0].message), /^configuration orders-config is for RabbitMQ but this broker's engineType is ActiveMQ/);
    });

    it("flags an engine version line mismatch (5.17 configuration, 5.18 broker), and passes 5.18 with 5.18.4", async () => {
        const old = configuration("orders-config", { ...activeMqConfiguration(), engineVersion: "5.17.6" });
        assert.match(own((await analyzeStack(policy, [old, using("orders", old, { engineVersion: "5.18" })]))[0].message), /is for engine version 5\.17 but this broker runs 5\.18/);
        const same = configuration("orders-config", activeMqConfiguration());
        assert.deepStrictEqual(await analyzeStack(policy, [same, using("orders", same, { engineVersion: "5.18.4" })]), []);
    });

    it("flags an authenticationStrategy mismatch, absent meaning simple", async () => {
        const config = configuration("orders-config", { ...activeMqConfiguration(), authenticationStrategy: "ldap" });
        const violations = await analyzeStack(policy, [config, using("orders", config, { engineVersion: "5.18", authenticationStrategy: undefined })]);
        assert.match(own(violations[0].message), /has authenticationStrategy ldap but this broker has simple/);
    });

    it("finds the configuration by its id output when no property dependency records it", async () => {
        const config = configuration("orders-config", rabbitMqConfiguration());
        const orders = broker("orders", { engineVersion: "5.18", configuration: { id: config.props.id, revision: 1 } });
        assert.match(own((await analyzeStack(policy, [config, orders]))[0].message), /is for RabbitMQ but this broker's engineType is ActiveMQ/);
    });

    it("reports on the broker a configuration it uses that embeds credentials, never the secret", async () => {
        const secret = testPassword("Stack-Embedded-Pw9");
        const data = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${secret}@b-1`);
        const config = configuration("orders-config", activeMqConfiguration(data));
        const violations = await analyzeStack(policy, [config, using("orders", config, { engineVersion: "5.18" })]);
        assert.strictEqual(violations.length, 1);
        assert.match(own(violations[0].message), /^configuration orders-config, used by this broker: data embeds credentials at line 9, attribute uri of <networkConnector>/);
        assert.ok(!violations[0].message.includes(secret));
        assert.ok(own(violations[0].message).length <= 1000);
    });

    it("reports invalid data of the configuration a RabbitMQ broker uses", async () => {
        const config = configuration("orders-config", rabbitMqConfiguration("not a setting"));
        const violations = await analyzeStack(policy, [config, using("orders", config, { engineVersion: "3.13", authenticationStrategy: undefined }, "RabbitMQ")]);
        assert.match(own(violations[0].message), /used by this broker: data has lines that are not RabbitMQ/);
    });

    it("judges the content during a preview that creates both, when the broker's configuration id and revision are unknown", async () => {
        const data = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${testPassword("Preview-Pw-3")}@b-1`);
        const config = configuration("orders-config", { ...activeMqConfiguration(data), id: unknown.string, latestRevision: unknown.number });
        const orders = broker("orders", { engineVersion: "5.18", configuration: { id: unknown.string, revision: unknown.number } }, { configuration: [config] });
        assert.match(own((await analyzeStack(policy, [config, orders]))[0].message), /^configuration orders-config, used by this broker: data embeds credentials/);
    });

    it("accepts on the broker the elements named in its additionalPermittedElements, as mq-configuration-valid-data does", async () => {
        const config = configuration("orders-config", activeMqConfiguration("<broker><jaasAuthenticationPlugin/></broker>"));
        const stack = [config, using("orders", config, { engineVersion: "5.18" })];
        assert.match(own((await analyzeStack(policy, stack))[0].message), /used by this broker: data uses elements Amazon MQ does not permit: <jaasAuthenticationPlugin> \(line 1\)/);
        assert.deepStrictEqual(await analyzeStack(policy, stack, { config: { additionalPermittedElements: ["jaasAuthenticationPlugin"] } }), []);
    });

    it("flags a revision the configuration does not have, and leaves the content of an older revision unjudged", async () => {
        const data = String(activeMqConfiguration().data).replace("ssl://b-1", `ssl://bridge:${testPassword("Old-Rev-Pw1")}@b-1`);
        const config = configuration("orders-config", activeMqConfiguration(data));
        const ahead = broker("orders", { engineVersion: "5.18", configuration: { id: config.props.id, revision: 7 } }, { configuration: [config] });
        assert.match(own((await analyzeStack(policy, [config, ahead]))[0].message), /^configuration\.revision is 7 but configuration orders-config has revisions 1 to 2/);
        const older = broker("orders", { engineVersion: "5.18", configuration: { id: config.props.id, revision: 1 } }, { configuration: [config] });
        assert.deepStrictEqual(await analyzeStack(policy, [config, older]), []);
    });

    it("reports nothing for a configuration outside the stack, or while the broker's configuration is unknown", async () => {
        const config = configuration("orders-config", rabbitMqConfiguration());
        assert.deepStrictEqual(await analyzeStack(policy, [config, broker("orders", { configuration: { id: "c-elsewhere", revision: 1 } })]), []);
        assert.deepStrictEqual(await analyzeStack(policy, [config, broker("orders", { configuration: unknown.object })]), []);
        const previewed = configuration("orders-config", { ...rabbitMqConfiguration(), engineType: unknown.string, engineVersion: unknown.string, data: unknown.string });
        assert.deepStrictEqual(await analyzeStack(policy, [previewed, using("orders", previewed, { engineVersion: "5.18" })]), []);
    });

    it("keeps the broker's message under 1,000 characters for a long configuration name and hostile names in the data", async () => {
        const long = "n".repeat(300);
        const element = "e".repeat(5_000);
        const lines = Array.from({ length: 20 }, (_, i) => `<${element}${i} ${"a".repeat(5_000)}="ssl://u:p@h" ${"b".repeat(3_000)}password="x"/>`);
        const config = configuration(long, activeMqConfiguration(`<broker>\n${lines.join("\n")}\n</broker>`));
        const violations = await analyzeStack(policy, [config, using("orders", config, { engineVersion: "5.18" })]);
        assert.ok(violations.length >= 1);
        for (const v of violations) {
            assert.ok(own(v.message).length <= 1000, `${own(v.message).length}: ${own(v.message).slice(0, 200)}`);
        }
        assert.match(own(violations[0].message), /^configuration n{60}… \(300 characters\), used by this broker: data embeds credentials at line 2, attribute a{48}… of <e{48}…>/);
    });
});
