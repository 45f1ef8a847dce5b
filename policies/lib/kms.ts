// Facts about a broker's encryption at rest: which class of KMS key `encryptionOptions` selects.
// Amazon MQ always encrypts at rest; the question is who owns and controls the key.
import { PlainObject, readBlock, readBoolean, readString, UNKNOWN, Unknown } from "./values";

/** The key classes, weakest control first. */
export const KEY_CLASSES = ["aws-owned", "aws-managed", "customer-managed"] as const;
export type KeyClass = typeof KEY_CLASSES[number];

export function keyClassRank(keyClass: KeyClass): number {
    return KEY_CLASSES.indexOf(keyClass);
}

/** Whether a KMS key identifier names an AWS managed key (`alias/aws/mq`, or its ARN form). */
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
