import type { PolicyResource } from "@pulumi/policy";
import { propertyName } from "./lib/aws-native";
import { shown } from "./lib/display";
import { propsOf, stackPolicy, StackFinding } from "./lib/policy";
import { followDependencies, isA, listNames, resourceName } from "./lib/stack";
import { PlainObject, readBoolean, readEnum, readNumber, UNKNOWN } from "./lib/values";
import { CUSTOMER_KEY_FIX, SNIPPET_START } from "./lib/fix-snippets";

export const KMS_KEY_TYPE = "aws:kms/key:Key";
export const KMS_ALIAS_TYPE = "aws:kms/alias:Alias";

/**
 * AWS KMS accepts a deletion window of 7 to 30 days and uses 30 when none is given: `deletionWindowInDays` in
 * `@pulumi/aws`, `pendingWindowInDays` in aws-native ("Enter a value between 7 and 30 days. The default value is
 * 30 days.", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html,
 * read 2026-12-03 as quoted in @pulumi/aws-native 1.79.0 kms/key.d.ts).
 */
const KMS_MIN_DELETION_WINDOW = 7;
const KMS_DEFAULT_DELETION_WINDOW = 30;

/**
 * Why a KMS key is unfit to encrypt a broker, most fundamental first. A key Amazon MQ cannot use at all
 * (not a symmetric encryption key) gets that one reason; otherwise each independent fix is listed.
 * An unknown value (preview) is never a reason. `key` is the aws-shaped view (propsOf); `type` is the key's
 * own type, so a message names the property its user edits (aws-native: enabled, pendingWindowInDays, keySpec).
 *
 * The defaults this relies on are the same in both providers. @pulumi/aws (aws.kms.Key): isEnabled true,
 * enableKeyRotation false, deletionWindowInDays 30, keyUsage ENCRYPT_DECRYPT, customerMasterKeySpec
 * SYMMETRIC_DEFAULT ("Defaults to `true`", "Defaults to `false`", "it defaults to `30`", "Defaults to
 * `ENCRYPT_DECRYPT`", "Defaults to `SYMMETRIC_DEFAULT`": @pulumi/aws 7.48.0 kms/key.d.ts KeyArgs, read 2026-12-03;
 * https://www.pulumi.com/registry/packages/aws/api-docs/kms/key/). CloudFormation AWS::KMS::Key, which aws-native follows
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html, read
 * 2026-12-03): Enabled "The default value is true", EnableKeyRotation "By default, automatic key rotation is not
 * enabled", PendingWindowInDays "The default value is 30 days", KeySpec "The default value, SYMMETRIC_DEFAULT",
 * KeyUsage "The default value is ENCRYPT_DECRYPT".
 */
export function keyReasons(key: PlainObject, minimumDeletionWindowDays: number, type: string = KMS_KEY_TYPE): string[] {
    const named = (awsName: string) => propertyName(type, awsName);
    // aws keys name the spec customerMasterKeySpec (keySpec in the KMS API); aws-native keys name it keySpec.
    // "Amazon MQ encrypts only with symmetric encryption keys": not confirmed by an Amazon MQ page as of 2026-12-03.
    // It rests on the encryption options taking a KMS key to "encrypt your data at rest" (CloudFormation
    // EncryptionOptions KmsKeyId, read 2026-12-03) and on KMS, where encrypting data at rest for a service uses
    // symmetric encryption keys (ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT, the defaults above).
    const fix = "Amazon MQ encrypts only with symmetric encryption keys: use a key with keyUsage ENCRYPT_DECRYPT " +
        `and ${named("customerMasterKeySpec")} SYMMETRIC_DEFAULT (both the defaults; a different key in encryptionOptions.kmsKeyId ` +
        "replaces the broker)";
    // keyUsage defaults to ENCRYPT_DECRYPT.
    const usage = readEnum(key, "keyUsage");
    if (typeof usage === "string" && usage !== "ENCRYPT_DECRYPT") {
        return [`${named("keyUsage")} is ${shown(usage)}; ${fix}.`];
    }
    // customerMasterKeySpec (keySpec in the KMS API and in aws-native) defaults to SYMMETRIC_DEFAULT.
    for (const property of ["customerMasterKeySpec", "keySpec"]) {
        const spec = readEnum(key, property);
        if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") {
            return [`${named(property)} is ${shown(spec)}; ${fix}.`];
        }
    }
    const reasons: string[] = [];
    // isEnabled (aws-native: enabled) defaults to true.
    const enabled = named("isEnabled");
    // "A disabled key makes the broker unable to read its data": not confirmed by an Amazon MQ page as of 2026-12-03;
    // it rests on KMS refusing cryptographic operations with a disabled key (the general KMS rule, not re-read here).
    if (readBoolean(key, "isEnabled") === false) {
        reasons.push(`${enabled} is false; a disabled key makes the broker unable to read its data ` +
            `(it degrades until the key is enabled again): set ${enabled}: true or remove it.`);
    }
    // enableKeyRotation defaults to false in both providers and in KMS. Once enabled, "KMS rotates the key material of
    // the KMS key one year (approximately 365 days) from the enable date and every year thereafter", or per
    // RotationPeriodInDays (EnableKeyRotation, https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html,
    // read 2026-12-03).
    const rotation = readBoolean(key, "enableKeyRotation");
    if (rotation !== UNKNOWN && rotation !== true) {
        reasons.push(`enableKeyRotation is ${rotation === false ? "false" : "not set (the default is false)"}; ` +
            "set enableKeyRotation: true so KMS rotates the key material yearly (or per rotationPeriodInDays).");
    }
    // deletionWindowInDays (aws-native: pendingWindowInDays) defaults to 30 days.
    const window = readNumber(key, "deletionWindowInDays") ?? KMS_DEFAULT_DELETION_WINDOW;
    if (window !== UNKNOWN && window < minimumDeletionWindowDays) {
        reasons.push(`${named("deletionWindowInDays")} is ${window}; set it to at least ${minimumDeletionWindowDays} ` +
            `(KMS accepts ${KMS_MIN_DELETION_WINDOW}-${KMS_DEFAULT_DELETION_WINDOW}) so a scheduled deletion can be ` +
            "cancelled before the broker loses its key.");
    }
    return reasons;
}

export interface MqStackKmsKeyHygieneConfig {
    minimumDeletionWindowDays: number;
}

export const mqStackKmsKeyHygiene = stackPolicy<MqStackKmsKeyHygieneConfig>({
    name: "mq-stack-kms-key-hygiene",
    description: "KMS keys in the stack that encrypt Amazon MQ brokers must be enabled, rotated, symmetric, " +
        "and protected by a long deletion window.",
    severity: "high",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumDeletionWindowDays: {
                type: "integer",
                minimum: KMS_MIN_DELETION_WINDOW,
                maximum: KMS_DEFAULT_DELETION_WINDOW,
                default: 30,
                description: "The shortest deletion window (7-30 days) accepted on a key that encrypts a broker: " +
                    "deletionWindowInDays on an aws.kms.Key, pendingWindowInDays on an aws-native kms.Key. An absent " +
                    "window is the KMS default of 30 days.",
            },
        },
    },
    remediationSteps: "On the aws.kms.Key that encrypts the broker (directly in encryptionOptions.kmsKeyId or through " +
        "an aws.kms.Alias): set enableKeyRotation: true, keep keyUsage ENCRYPT_DECRYPT and customerMasterKeySpec " +
        "SYMMETRIC_DEFAULT (the defaults), leave isEnabled unset or true, and set deletionWindowInDays to 30. " +
        "On an aws-native kms.Key (directly or through an aws-native kms.Alias's targetKeyId) the same properties are " +
        "enableKeyRotation, keyUsage, keySpec, enabled and pendingWindowInDays. " +
        "Rotation, enabling and the deletion window update the key in place." +
        SNIPPET_START +
        "const key = new aws.kms.Key(\"mq\", {\n" +
        "    enableKeyRotation: true,\n" +
        "    deletionWindowInDays: 30,\n" +
        "    // keyUsage ENCRYPT_DECRYPT and customerMasterKeySpec SYMMETRIC_DEFAULT are the defaults\n" +
        "});\n" +
        CUSTOMER_KEY_FIX,
    url: "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/data-protection.html",
    tags: ["AWS Config cmk-backing-key-rotation-enabled", "Security Hub KMS.4", "Checkov CKV_AWS_7", "Trivy AWS-0065"],
    check: (_resources, context) => {
        // Select: the brokers this policy judges.
        const brokers = context.brokers;
        // Relate: each key in the stack to the brokers it encrypts (directly or through an alias).
        const users = new Map<string, { key: PolicyResource; brokers: string[] }>();
        for (const broker of brokers) {
            const reached = followDependencies(broker, "encryptionOptions", { [KMS_ALIAS_TYPE]: "targetKeyId" });
            for (const key of reached) {
                if (!isA(key, KMS_KEY_TYPE)) {
                    continue;
                }
                const entry = users.get(key.urn);
                if (entry) {
                    entry.brokers.push(resourceName(broker));
                } else {
                    users.set(key.urn, { key, brokers: [resourceName(broker)] });
                }
            }
        }
        // Judge each key once; report on the key's URN, since the fix is on the key.
        const findings: StackFinding[] = [];
        for (const { key, brokers: names } of users.values()) {
            for (const reason of keyReasons(propsOf(key), context.config.minimumDeletionWindowDays, key.type)) {
                findings.push({ urn: key.urn, message: `${reason} (The key encrypts broker ${listNames(names)}.)` });
            }
        }
        return findings;
    },
});
