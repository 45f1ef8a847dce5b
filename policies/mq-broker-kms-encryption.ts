import { shown } from "./lib/display";
import { globMatches } from "./lib/glob";
import { brokerEncryption, KEY_CLASSES, KeyClass, keyClassRank } from "./lib/kms";
import { brokerPolicy } from "./lib/policy";
import { CUSTOMER_KEY_FIX, SNIPPET_START } from "./lib/fix-snippets";

/**
 * Encryption settings are create-only: CloudFormation EncryptionOptions KmsKeyId and UseAwsOwnedKey "Update requires:
 * Replacement" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-amazonmq-broker-encryptionoptions.html),
 * aws-native lists encryptionOptions in replaceOnChanges (@pulumi/aws-native 1.79.0 amazonmq/broker.js), and
 * terraform-provider-aws marks encryption_options ForceNew
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go). All read 2026-12-03.
 * RabbitMQ: that CloudFormation UserGuide page says EncryptionOptions "Does not apply to RabbitMQ brokers", while the
 * newer Template Reference page for the same property
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-encryptionoptions.html,
 * read 2026-12-03 in its docs.amazonaws.cn copy) no longer carries that note, and UseAwsOwnedKey is "Set to true by
 * default, if no value is provided, for example, for RabbitMQ brokers". The newer page wins, so the policy still judges
 * RabbitMQ brokers; no Amazon MQ developer-guide page read on 2026-12-03 confirms customer managed keys on RabbitMQ.
 */
const REPLACES = "Encryption settings cannot change on an existing broker: Pulumi replaces it";

const CURRENT: Record<KeyClass, string> = {
    "aws-owned": "encryptionOptions uses the AWS owned key (useAwsOwnedKey is true, or absent: true is the default)",
    "aws-managed": "encryptionOptions uses the AWS managed key aws/mq (useAwsOwnedKey: false without a customer managed kmsKeyId)",
    "customer-managed": "encryptionOptions uses a customer managed key",
};

const FIX: Record<KeyClass, string> = {
    "aws-owned": "set encryptionOptions.useAwsOwnedKey: true",
    "aws-managed": "set encryptionOptions.useAwsOwnedKey: false (for the AWS managed key aws/mq) or also set kmsKeyId " +
        "to a customer managed KMS key ARN",
    "customer-managed": "set encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: <customer managed KMS key ARN> }",
};

export interface KmsEncryptionConfig {
    /** The least controlled key class allowed: aws-owned < aws-managed < customer-managed. */
    minimumKeyManagement: KeyClass;
    /** KMS key ARNs or ARN globs a `kmsKeyId` must match; empty allows any key. */
    allowedKmsKeyArns: string[];
}

export const mqBrokerKmsEncryption = brokerPolicy<KmsEncryptionConfig>({
    name: "mq-broker-kms-encryption",
    description: "Amazon MQ brokers must encrypt data at rest with the class of KMS key the organization requires.",
    severity: "high",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumKeyManagement: {
                type: "string",
                enum: [...KEY_CLASSES],
                default: "customer-managed",
                description: "The least controlled KMS key class a broker may use for encryption at rest: " +
                    "`aws-owned` (any, including the default AWS owned key), `aws-managed` (the AWS managed key " +
                    "`aws/mq` or a customer managed key) or `customer-managed` (a key the organization controls).",
            },
            allowedKmsKeyArns: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description: "KMS key ARNs or ARN patterns (`*` matches any run of characters, e.g. " +
                    "`arn:aws:kms:*:111122223333:key/*`) that a broker's `encryptionOptions.kmsKeyId` must match " +
                    "when it is set. Empty (the default) allows any key.",
            },
        },
    },
    remediationSteps: "Create (or choose) a customer managed KMS key and set `encryptionOptions: { useAwsOwnedKey: false, " +
        "kmsKeyId: key.arn }` on both ActiveMQ and RabbitMQ brokers, using a key ARN that matches `allowedKmsKeyArns` " +
        "when it is configured. Encryption settings cannot change on an existing broker: Pulumi replaces the broker, " +
        "so plan the cut-over." +
        SNIPPET_START +
        "const key = new aws.kms.Key(\"mq\", { enableKeyRotation: true, deletionWindowInDays: 30 });\n" +
        CUSTOMER_KEY_FIX,
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/data-protection.html",
    tags: ["Checkov CKV_AWS_209"],
    validateConfig: config => {
        const errors: string[] = [];
        (config.allowedKmsKeyArns ?? []).forEach((pattern, i) => {
            if (typeof pattern === "string" && !pattern.startsWith("arn:")) {
                errors.push(`allowedKmsKeyArns[${i}] must be a KMS key ARN or ARN pattern starting with \`arn:\` ` +
                    "(`*` matches any run of characters)");
            }
        });
        return errors;
    },
    check: (broker, { config }) => {
        const encryption = brokerEncryption(broker);
        if (!encryption) {
            return [];
        }
        const findings: string[] = [];
        const { kmsKeyId, useAwsOwnedKey, possibleClasses } = encryption;

        if (typeof kmsKeyId === "string" && useAwsOwnedKey === true) {
            // The key only takes effect with useAwsOwnedKey: false ("ARN of KMS CMK to use for encryption at rest. Requires
            // setting `useAwsOwnedKey` to `false`", and useAwsOwnedKey "Defaults to `true`": @pulumi/aws 7.48.0
            // types/input.d.ts BrokerEncryptionOptions, read 2026-12-03); judging the class would blame the wrong setting.
            findings.push("encryptionOptions.kmsKeyId is set but useAwsOwnedKey is true (true is the default when " +
                `absent), so the key is not used; set encryptionOptions.useAwsOwnedKey: false. ${REPLACES}.`);
        } else {
            const required = config.minimumKeyManagement;
            const requiredRank = keyClassRank(required);
            if (possibleClasses.every(c => keyClassRank(c) < requiredRank)) {
                const current = possibleClasses.length === 1
                    ? CURRENT[possibleClasses[0]]
                    : `encryptionOptions selects an ${possibleClasses.join(" or an ")} key whatever its unknown values turn out to be`;
                findings.push(`${current}, but minimumKeyManagement is ${required}; ${FIX[required]}. ${REPLACES}.`);
            }
        }

        const allowed = config.allowedKmsKeyArns ?? [];
        if (typeof kmsKeyId === "string" && allowed.length > 0 &&
            !allowed.some(pattern => typeof pattern === "string" && globMatches(pattern, kmsKeyId))) {
            findings.push(`encryptionOptions.kmsKeyId ${shown(kmsKeyId)} does not match allowedKmsKeyArns ` +
                `(${allowed.join(", ")}); use the full ARN of an approved key. ${REPLACES}.`);
        }
        return findings;
    },
});
