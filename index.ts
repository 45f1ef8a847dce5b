import { PolicyPack } from "@pulumi/policy";
import { installDecodeCache } from "./policies/lib/sdk-decode-cache";
import { policies } from "./policies";

// Before the pack serves: decode each resource's properties once per request, not once per policy
// (policies/lib/sdk-decode-cache.ts; behaviour unchanged).
installDecodeCache();

new PolicyPack("aws-mq-guardrails", {
    displayName: "AWS MQ Guardrails",
    description: "Amazon MQ brokers (ActiveMQ and RabbitMQ): high availability, KMS encryption, no public access, " +
        "secret-backed credentials, safe names, logging, versions, and the keys, networks and secrets around each broker.",
    policies,
});
