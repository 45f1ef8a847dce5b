import { DEFAULT_DEPLOYMENT_MODE, engineOf, Engine, HA_DEPLOYMENT_MODE } from "./lib/broker";
import { brokerPolicy } from "./lib/policy";
import { asString, isUnknown, PlainObject, readBoolean, readEnum, readList, readString, UNKNOWN, Unknown } from "./lib/values";
import { compareVersions, formatVersion, parseVersion } from "./lib/versions";
import { brokerFix, SNIPPET_START, SUBNETS_PER_ZONE } from "./lib/fix-snippets";

/**
 * deploymentMode is create-only: terraform-provider-aws marks deployment_mode ForceNew
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/mq/broker.go, read 2026-12-03), and
 * @pulumi/aws-native 1.79.0 lists deploymentMode in the Broker's replaceOnChanges (amazonmq/broker.js, from the
 * CloudFormation schema, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-broker.html,
 * read 2026-12-03). The HA mode per engine (ACTIVE_STANDBY_MULTI_AZ for ActiveMQ, CLUSTER_MULTI_AZ for RabbitMQ) is
 * cited at HA_DEPLOYMENT_MODE in lib/broker.ts (owned there).
 */
const REPLACEMENT = "the deployment mode cannot change on an existing broker: a replacement broker is needed";

/** The finding about deploymentMode, or undefined when the mode is the engine's HA mode or not known. */
function deploymentModeFinding(engine: Engine | undefined | Unknown, mode: string): string | undefined {
    if (engine !== "ActiveMQ" && engine !== "RabbitMQ") {
        // Without a known engine only SINGLE_INSTANCE is certainly wrong (neither engine's HA mode).
        return mode === "SINGLE_INSTANCE"
            ? `deploymentMode is SINGLE_INSTANCE; set ${HA_DEPLOYMENT_MODE.ActiveMQ} (ActiveMQ) or ` +
                `${HA_DEPLOYMENT_MODE.RabbitMQ} (RabbitMQ); ${REPLACEMENT}`
            : undefined;
    }
    const wanted = HA_DEPLOYMENT_MODE[engine];
    if (mode === wanted) {
        return undefined;
    }
    if (engine === "ActiveMQ") {
        const setup = `set ${wanted} with two subnetIds in different Availability Zones and storageType efs`;
        if (mode === HA_DEPLOYMENT_MODE.RabbitMQ) {
            return `deploymentMode is ${mode}, which is for RabbitMQ only and ActiveMQ rejects; ${setup}; ${REPLACEMENT}`;
        }
        return `deploymentMode is ${describeMode(mode)}; ${setup}; ${REPLACEMENT}`;
    }
    if (mode === HA_DEPLOYMENT_MODE.ActiveMQ) {
        // "A cluster deployment is a logical grouping of three RabbitMQ broker nodes" across Availability Zones
        // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-broker-architecture-cluster.html,
        // read 2026-12-03); RabbitMQ stores on EBS only (see the storageType check below).
        return `deploymentMode is ${mode}, which is for ActiveMQ only and RabbitMQ rejects; set ${wanted} ` +
            `(a three-node cluster on ebs storage); ${REPLACEMENT}`;
    }
    return `deploymentMode is ${describeMode(mode)}; set ${wanted} (a three-node cluster on ebs storage); ${REPLACEMENT}`;
}

function describeMode(mode: string): string {
    return ["SINGLE_INSTANCE", "ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ"].includes(mode)
        ? mode
        : "not a valid mode (SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ or CLUSTER_MULTI_AZ)";
}

/**
 * ActiveMQ active/standby runs one instance in each of exactly two subnets (Availability Zones): "An
 * ACTIVE_STANDBY_MULTI_AZ Amazon MQ for ActiveMQ deployment requires two subnets", and "If you specify more than one
 * subnet, the subnets must be in different Availability Zones" (CloudFormation AWS::AmazonMQ::Broker SubnetIds, as
 * quoted in @pulumi/aws-native 1.79.0 amazonmq/broker.d.ts; the page:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-broker.html, read
 * 2026-12-03); "An active/standby broker is comprised of two brokers in two different Availability Zones"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html, read 2026-12-03).
 * The @pulumi/aws 7.48.0 docs (mq/broker.d.ts, subnetIds) say only "multiple subnets": the CloudFormation text is
 * more specific (two) and wins.
 */
function subnetFinding(broker: PlainObject): string | undefined {
    const subnets = readList(broker, "subnetIds");
    if (subnets === UNKNOWN) {
        return undefined;
    }
    // Absent: "A SINGLE_INSTANCE deployment requires one subnet (for example, the default subnet)" (same CloudFormation
    // SubnetIds text, read 2026-12-03); that Amazon MQ picks default-VPC subnets when none is given is not confirmed by
    // an AWS source as of 2026-12-03 (it rests on terraform-provider-aws marking subnet_ids Optional+Computed). Either
    // way an HA broker names its pair explicitly, so absent counts as none.
    const entries = subnets ?? [];
    const known = new Set<string>();
    let unknownCount = 0;
    for (const entry of entries) {
        const id = asString(entry);
        if (id === UNKNOWN) {
            unknownCount++;
        } else if (typeof id === "string" && id.trim() !== "") {
            known.add(id.trim());
        }
    }
    // subnetIds is a set: duplicates collapse (terraform-provider-aws: subnet_ids is a TypeSet, ForceNew; aws-native
    // lists subnetIds[*] in replaceOnChanges: a change replaces the broker; both read 2026-12-03). Unknown entries may
    // or may not repeat known ones.
    const fix = "ACTIVE_STANDBY_MULTI_AZ needs exactly two distinct subnetIds in different Availability Zones " +
        "(changing subnetIds replaces the broker)";
    if (known.size > 2) {
        return `subnetIds has ${known.size} distinct subnets; ${fix}`;
    }
    if (known.size + unknownCount < 2) {
        return `subnetIds has ${known.size === 0 ? "no subnet" : "only one distinct subnet"}; ${fix}`;
    }
    return undefined;
}

/**
 * A cross-region data replication (CRDR) broker needs a user with replicationUser: true. NOT confirmed as an API
 * requirement by an AWS source as of 2026-12-03: the CloudFormation User property says only that ReplicationUser
 * "Defines if this user is intended for CRDR replication purposes"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-user.html,
 * read 2026-12-03), and the rule rests on that and on the provider's CRDR example, where both the primary and the
 * replica broker carry a `replicationUser: true` user (@pulumi/aws 7.48.0 mq/broker.d.ts, "Cross-Region Data
 * Replication", read 2026-12-03).
 */
function replicationUserFinding(broker: PlainObject): string | undefined {
    // Absent means no replication pair (see crdrFinding).
    if (readEnum(broker, "dataReplicationMode") !== "CRDR") {
        return undefined;
    }
    const users = readList(broker, "users");
    if (users === UNKNOWN) {
        return undefined;
    }
    let undetermined = false;
    for (const user of users ?? []) {
        if (isUnknown(user)) {
            undetermined = true;
            continue;
        }
        // Absent means false: terraform-provider-aws gives replication_user "Default: false" (broker.go), and @pulumi/aws
        // 7.48.0 documents replicationUser "Defaults to `false`" (types/input.d.ts BrokerUser); both read 2026-12-03.
        const replication = readBoolean(user, "replicationUser");
        if (replication === true) {
            return undefined;
        }
        if (replication === UNKNOWN) {
            undetermined = true;
        }
    }
    if (undetermined) {
        return undefined;
    }
    return "dataReplicationMode is CRDR but no user has replicationUser: true; add a user with " +
        "replicationUser: true, which AWS requires for cross-region data replication";
}

/**
 * Cross-region data replication (CRDR) is for Amazon MQ for ActiveMQ active/standby brokers only: "Only
 * available for active/standby brokers" (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/crdr-for-active-mq.html,
 * read 2026-12-03), and "only available for Amazon MQ for ActiveMQ brokers on versions 5.17.6 and above"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/create-replica-broker.html, read 2026-12-03).
 */
const CRDR_MINIMUM_VERSION = { major: 5, minor: 17, patch: 6 };

/** Why dataReplicationMode CRDR cannot apply to this broker, or undefined (not CRDR, fits, or not known yet). */
function crdrFinding(broker: PlainObject, engine: Engine | undefined | Unknown, mode: string | Unknown): string | undefined {
    // Absent means no replication pair. The valid values are CRDR and NONE (@pulumi/aws 7.48.0 mq/broker.d.ts
    // dataReplicationMode; the API's DataReplicationMode enum,
    // https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-data-replication-mode,
    // read 2026-12-03), and CRDR is asked for explicitly with a primary broker ARN, which "Must be set when
    // dataReplicationMode is set to CRDR" (CreateBroker,
    // https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-create-broker-request,
    // read 2026-12-03). That an absent value is stored as NONE is not stated by an AWS source as of 2026-12-03
    // (terraform-provider-aws reads it back as Optional+Computed); only CRDR is judged here.
    if (readEnum(broker, "dataReplicationMode") !== "CRDR") {
        return undefined;
    }
    const fix = "remove dataReplicationMode (NONE) or use an ActiveMQ ACTIVE_STANDBY_MULTI_AZ broker; " + REPLACEMENT;
    if (engine === "RabbitMQ") {
        return `dataReplicationMode is CRDR, which Amazon MQ offers for ActiveMQ only (cross-region data replication); ${fix}`;
    }
    if (engine !== "ActiveMQ") {
        return undefined;
    }
    if (mode !== UNKNOWN && mode !== HA_DEPLOYMENT_MODE.ActiveMQ) {
        return `dataReplicationMode is CRDR on a ${describeMode(mode)} broker, but cross-region data replication is only ` +
            `available for active/standby brokers; ${fix}`;
    }
    const text = readString(broker, "engineVersion");
    const version = typeof text === "string" ? parseVersion(text.trim()) : undefined;
    if (version && compareVersions(version, CRDR_MINIMUM_VERSION) < 0) {
        return `dataReplicationMode is CRDR, but cross-region data replication needs ActiveMQ ` +
            `${formatVersion(CRDR_MINIMUM_VERSION)} or later (engineVersion is ${formatVersion(version)}); set engineVersion ` +
            "to 5.18 or later (an in-place upgrade) or remove dataReplicationMode";
    }
    return undefined;
}

export const mqBrokerHighAvailability = brokerPolicy({
    name: "mq-broker-high-availability",
    description: "Amazon MQ brokers must run in their engine's highly available deployment mode.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "ActiveMQ: set `deploymentMode: \"ACTIVE_STANDBY_MULTI_AZ\"` with exactly two `subnetIds` in " +
        "different Availability Zones and `storageType: \"efs\"` (the ActiveMQ default). RabbitMQ: set " +
        "`deploymentMode: \"CLUSTER_MULTI_AZ\"` (RabbitMQ has no active/standby mode and stores on EBS only). The " +
        "deployment mode cannot change on an existing broker: create a replacement broker, move clients to it, then " +
        "delete the old one. `dataReplicationMode: \"CRDR\"` is for ActiveMQ active/standby brokers (5.17.6 and later) " +
        "only, and needs a user with `replicationUser: true`." +
        SNIPPET_START + SUBNETS_PER_ZONE + brokerFix(
            "    deploymentMode: \"ACTIVE_STANDBY_MULTI_AZ\", // RabbitMQ: \"CLUSTER_MULTI_AZ\"\n" +
            "    storageType: \"efs\", // ActiveMQ only\n" +
            "    subnetIds: subnets.map(s => s.id),\n"),
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-5",
    tags: [
        "Security Hub MQ.5",
        "Security Hub MQ.6",
        "AWS Config mq-active-deployment-mode",
        "AWS Config mq-rabbit-deployment-mode",
        "Conformity MQ-003",
    ],
    check: broker => {
        const findings: string[] = [];
        const engine = engineOf(broker);
        // Absent means SINGLE_INSTANCE: @pulumi/aws 7.48.0 "Default is `SINGLE_INSTANCE`" (mq/broker.d.ts) and
        // terraform-provider-aws `Default: types.DeploymentModeSingleInstance` (broker.go), both read 2026-12-03.
        // aws-native has no default: CloudFormation marks DeploymentMode "Required" (amazonmq/broker.d.ts, 1.79.0).
        const rawMode = readEnum(broker, "deploymentMode");
        const mode = rawMode === undefined ? DEFAULT_DEPLOYMENT_MODE : rawMode;

        if (mode !== UNKNOWN) {
            const modeFinding = deploymentModeFinding(engine, mode);
            if (modeFinding) {
                findings.push(modeFinding);
            }
            if (engine === "ActiveMQ" && mode === HA_DEPLOYMENT_MODE.ActiveMQ) {
                const subnets = subnetFinding(broker);
                if (subnets) {
                    findings.push(subnets);
                }
                // Absent means efs: "For `engineType` `ActiveMQ`, valid values are `efs` and `ebs` (AWS-default is `efs`)"
                // (@pulumi/aws 7.48.0 mq/broker.d.ts storageType, read 2026-12-03). Active/standby brokers "communicate
                // synchronously with your application, and with Amazon EFS"
                // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html,
                // read 2026-12-03); storageType is create-only (aws-native replaceOnChanges, 1.79.0).
                if (readEnum(broker, "storageType") === "EBS") {
                    findings.push("storageType is ebs, but ACTIVE_STANDBY_MULTI_AZ needs shared storage; set " +
                        "storageType: efs (or leave it unset: efs is the ActiveMQ default) on a replacement broker");
                }
            }
        }
        // RabbitMQ stores on EBS only, whatever the mode: "For `engineType` `RabbitMQ`, only `ebs` is supported"
        // (@pulumi/aws 7.48.0 mq/broker.d.ts storageType, read 2026-12-03); a RabbitMQ single-instance broker
        // "communicates with your application and with an Amazon EBS storage volume"
        // (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-broker-architecture.html, read
        // 2026-12-03). Absent leaves the choice to AWS (storage_type is Optional+Computed in terraform-provider-aws).
        if (engine === "RabbitMQ" && readEnum(broker, "storageType") === "EFS") {
            findings.push("storageType is efs, which RabbitMQ does not support; set storageType: ebs " +
                "(or leave it unset) on a replacement broker");
        }
        const crdr = crdrFinding(broker, engine, mode);
        if (crdr) {
            findings.push(crdr);
        }
        const replication = replicationUserFinding(broker);
        if (replication) {
            findings.push(replication);
        }
        return findings;
    },
});
