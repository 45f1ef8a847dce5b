import * as assert from "assert";
import { CONFIGURATION_TYPE } from "../../policies/lib/configuration-facts";
import { mqConfigurationLeastPrivilege as policy } from "../../policies/mq-configuration-least-privilege";
import { analyze, notApplicableReason, unknown } from "../support/runtime";
import { activeMqConfiguration, nativeConfiguration, onNativeConfiguration, rabbitMqConfiguration } from "../support/native";

const on = { type: CONFIGURATION_TYPE, name: "orders-config", urn: `urn:pulumi:prod::messaging::${CONFIGURATION_TYPE}::orders-config` };

function own(message: string): string {
    return message.split("\n").slice(1).join("\n");
}

describe("mq-configuration-least-privilege", () => {
    it("passes for a compliant ActiveMQ configuration (with an authorization map)", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(), on), []);
    });

    it("passes for a compliant RabbitMQ configuration", async () => {
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration(), on), []);
    });

    it("flags an ActiveMQ configuration without an authorization map, as advisory", async () => {
        const violations = await analyze(policy, activeMqConfiguration('<broker xmlns="http://activemq.apache.org/schema/core"><plugins><statisticsBrokerPlugin/></plugins></broker>'), on);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "advisory");
        assert.match(own(violations[0].message), /^data defines no authorization map .*every authenticated user can read, write and administer/);
    });

    it("flags an authorizationPlugin without any authorizationEntry", async () => {
        const data = "<broker><plugins><authorizationPlugin><map><authorizationMap/></map></authorizationPlugin></plugins></broker>";
        assert.strictEqual((await analyze(policy, activeMqConfiguration(data), on)).length, 1);
    });

    it("is not applicable to an ActiveMQ configuration with LDAP authentication (permissions come from LDAP)", async () => {
        const config = { ...activeMqConfiguration("<broker/>"), authenticationStrategy: "LDAP" };
        assert.match(String(await notApplicableReason(policy, config, on)), /ldap/);
    });

    it("flags RabbitMQ settings that turn off security headers or operator policy restrictions, each with its line", async () => {
        const data = "secure.management.http.headers.enabled = false\nmanagement.restrictions.operator_policy_changes.disabled = FALSE\nheartbeat = 60\n";
        const messages = (await analyze(policy, rabbitMqConfiguration(data), on)).map(v => own(v.message));
        assert.strictEqual(messages.length, 2);
        assert.match(messages[0], /^data sets secure\.management\.http\.headers\.enabled = false \(line 1\), which turns off the HTTP security headers/);
        assert.match(messages[1], /\(line 2\), which lets management users change the operator policies/);
    });

    it("passes those settings when they keep the protection on", async () => {
        const data = "secure.management.http.headers.enabled = true\nmanagement.restrictions.operator_policy_changes.disabled = true\n";
        assert.deepStrictEqual(await analyze(policy, rabbitMqConfiguration(data), on), []);
    });

    it("leaves XML that does not parse to mq-configuration-valid-data", async () => {
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration("<broker>"), on), []);
    });

    it("reports nothing while data is unknown during preview, or absent", async () => {
        assert.deepStrictEqual(await analyze(policy, { ...activeMqConfiguration(), data: unknown.string }, on), []);
        assert.deepStrictEqual(await analyze(policy, { ...rabbitMqConfiguration(), data: undefined }, on), []);
    });

    it("copes with a billion-laughs document (an error, no expansion)", async () => {
        const data = '<!DOCTYPE b [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><broker>&b;</broker>';
        assert.deepStrictEqual(await analyze(policy, activeMqConfiguration(data), on), []);
    });
    describe("as an aws-native configuration (aws-native:amazonmq:Configuration, data base64)", () => {
        const onNative = onNativeConfiguration();

        it("passes the golden configurations in aws-native's shape", async () => {
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(activeMqConfiguration()), onNative), []);
            assert.deepStrictEqual(await analyze(policy, nativeConfiguration(rabbitMqConfiguration()), onNative), []);
        });

        it("flags an ActiveMQ configuration without an authorization map with the message aws gets", async () => {
            const text = '<broker xmlns="http://activemq.apache.org/schema/core"><plugins><statisticsBrokerPlugin/></plugins></broker>';
            const violations = await analyze(policy, nativeConfiguration({ ...activeMqConfiguration(text), engineType: "ACTIVEMQ" }), onNative);
            assert.strictEqual(violations.length, 1);
            assert.deepStrictEqual(violations, await analyze(policy, activeMqConfiguration(text), on));
        });

        it("is not applicable with LDAP, and reports nothing without data (not judged: Amazon MQ's default configuration)", async () => {
            const ldap = { ...nativeConfiguration(activeMqConfiguration("<broker/>")), authenticationStrategy: "LDAP" };
            assert.match(String(await notApplicableReason(policy, ldap, onNative)), /ldap/);
            const configuration = nativeConfiguration(activeMqConfiguration());
            delete configuration.data;
            assert.deepStrictEqual(await analyze(policy, configuration, onNative), []);
        });
    });
});
