// Facts about a broker's encryption at rest: which class of KMS key `encryptionOptions` selects.
// Amazon MQ always encrypts at rest; the question is who owns and controls the key.
// "Amazon MQ encrypts messages at rest and in transit using encryption keys that it manages and stores securely"
// (Using Amazon MQ securely, source of https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html
// at https://github.com/awsdocs/amazon-mq-developer-guide/blob/main/doc_source/using-amazon-mq-securely.md, read
// 2026-12-03; that repository is the guide's archived source, so this is the older wording).
import { PlainObject, readBlock, readBoolean, readString, UNKNOWN, Unknown } from "./values";

/** The key classes, weakest control first. */
export const KEY_CLASSES = ["aws-owned", "aws-managed", "customer-managed"] as const;
export type KeyClass = typeof KEY_CLASSES[number];

export function keyClassRank(keyClass: KeyClass): number {
    return KEY_CLASSES.indexOf(keyClass);
}

/**
 * Whether a KMS key identifier names an AWS managed key (`alias/aws/mq`, or its ARN form). That `alias/aws/` names
 * AWS managed keys, and that Amazon MQ's is `aws/mq`, is not confirmed by an AWS source read on 2026-12-03 (the
 * KMS key-types page was not in the reference store); it rests on the KMS naming convention as the pack recorded it.
 */
export function isAwsManagedKeyAlias(kmsKeyId: string): boolean {
    return /(^|:)alias\/aws\//.test(kmsKeyId.trim());
}

export interface BrokerEncryption {
    /** The key classes the settings may resolve to: one when known, several while a value is unknown. */
    possibleClasses: KeyClass[];
    /** `kmsKeyId` as written (trimmed), UNKNOWN, or undefined when absent or empty. */
    kmsKeyId: string | undefined | Unknown;
    /** `useAwsOwnedKey` as it applies: its value, or true when absent (the provider and AWS default). */
    useAwsOwnedKey: boolean | Unknown;
}

/**
 * The key class of a broker's encryption at rest. `encryptionOptions` absent means the AWS owned key.
 * `useAwsOwnedKey` defaults to true; false without `kmsKeyId` creates the AWS managed key `aws/mq`;
 * false with `kmsKeyId` uses that key (customer managed, unless it is an `alias/aws/...` key).
 * Undefined when the whole block is unknown.
 * Sources, read 2026-12-03: UseAwsOwnedKey "Enables the use of an AWS owned CMK using AWS KMS (KMS). Set to true by
 * default, if no value is provided"; KmsKeyId "If not provided, Amazon MQ will use a default CMK to encrypt your
 * data" (AWS::AmazonMQ::Broker EncryptionOptions,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-encryptionoptions.html);
 * the aws provider declares `use_aws_owned_key` with `Default: true`
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go). AWS calls the key
 * used without `kmsKeyId` only "a default CMK": that it is the AWS managed key `aws/mq` is not confirmed by an AWS
 * source as of 2026-12-03.
 */
export function brokerEncryption(broker: PlainObject): BrokerEncryption | undefined {
    const options = readBlock(broker, "encryptionOptions");
    if (options === UNKNOWN) {
        return undefined;
    }
    const owned = readBoolean(options, "useAwsOwnedKey");
    const useAwsOwnedKey = owned === undefined ? true : owned;
    const rawKey = readString(options, "kmsKeyId");
    const kmsKeyId = typeof rawKey === "string" ? (rawKey.trim() === "" ? undefined : rawKey.trim()) : rawKey;

    const keyClasses = (): KeyClass[] => {
        if (kmsKeyId === UNKNOWN) {
            return ["aws-managed", "customer-managed"];
        }
        if (kmsKeyId === undefined) {
            return ["aws-managed"];
        }
        return [isAwsManagedKeyAlias(kmsKeyId) ? "aws-managed" : "customer-managed"];
    };
    let possibleClasses: KeyClass[];
    if (useAwsOwnedKey === UNKNOWN) {
        possibleClasses = ["aws-owned", ...keyClasses()];
    } else if (useAwsOwnedKey) {
        possibleClasses = ["aws-owned"];
    } else {
        possibleClasses = keyClasses();
    }
    return { possibleClasses, kmsKeyId, useAwsOwnedKey };
}
