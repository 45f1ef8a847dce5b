import { PolicyPack } from "@pulumi/policy";
import { installDecodeCache } from "./policies/lib/sdk-decode-cache";
import { installTypeFamilies } from "./policies/lib/sdk-type-families";
import { policies } from "./policies";

// Before the pack serves: decode each resource's properties once per request, not once per policy
// (policies/lib/sdk-decode-cache.ts; behaviour unchanged).
installDecodeCache();
// And let the SDK skip what is not a broker or configuration before decoding it, for the policies that judge both
// providers' types (policies/lib/sdk-type-families.ts; behaviour unchanged).
installTypeFamilies(policies);

new PolicyPack("aws-mq-guardrails", {
    displayName: "AWS MQ Guardrails",
    description: "Amazon MQ brokers (ActiveMQ and RabbitMQ): high availability, KMS encryption, no public access, " +
        "secret-backed credentials, safe names, logging, versions, and the keys, networks and secrets around each broker.",
    policies,
});
