// `pulumi policy analyze --file` replaces each secret it cannot decrypt with the string "[secret]" (found by the
// real-CLI suite: the compliant examples failed mq-broker-user-credentials there). The pack must read it as an
// unknown value: never a short, default or shared password, never a hard-coded one.
import * as assert from "assert";
import { REDACTED_SECRET } from "../policies/lib/values";
import { mqBrokerUserCredentials } from "../policies/mq-broker-user-credentials";
import { compliantActiveMq, compliantRabbitMq, withChange } from "./support/fixtures";
import { analyze } from "./support/runtime";

describe("secrets redacted by pulumi policy analyze", () => {
    it("passes a compliant ActiveMQ broker whose passwords are all redacted", async () => {
        const broker = withChange(compliantActiveMq(), {
            users: [
                { username: "orders-admin", password: REDACTED_SECRET, consoleAccess: true, groups: ["admins"] },
                { username: "orders-app", password: REDACTED_SECRET },
            ],
        });
        assert.deepStrictEqual(await analyze(mqBrokerUserCredentials, broker), []);
    });

    it("passes a compliant RabbitMQ broker whose password is redacted", async () => {
        const broker = withChange(compliantRabbitMq(), { users: [{ username: "events-app", password: REDACTED_SECRET }] });
        assert.deepStrictEqual(await analyze(mqBrokerUserCredentials, broker), []);
    });

    it("still reports a weak password beside a redacted one", async () => {
        const broker = withChange(compliantActiveMq(), {
            users: [
                { username: "orders-admin", password: REDACTED_SECRET, consoleAccess: true, groups: ["admins"] },
                { username: "orders-app", password: "password" },
            ],
        });
        const violations = await analyze(mqBrokerUserCredentials, broker);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /users\[1\]/);
    });
});
