// Every policy of the pack, in catalogue order. index.ts serves this list; tests import it directly
// (importing index.ts would start the pack's gRPC server).
import type { PackPolicy } from "./lib/policy";
import { mqBrokerAutoMinorVersionUpgrade } from "./mq-broker-auto-minor-version-upgrade";
import { mqBrokerDurableStorage } from "./mq-broker-durable-storage";
import { mqBrokerEngineVersion } from "./mq-broker-engine-version";
import { mqBrokerHighAvailability } from "./mq-broker-high-availability";
import { mqBrokerInstanceType } from "./mq-broker-instance-type";
import { mqBrokerKmsEncryption } from "./mq-broker-kms-encryption";
import { mqBrokerLdapAuthentication } from "./mq-broker-ldap-authentication";
import { mqBrokerLogging } from "./mq-broker-logging";
import { mqBrokerNoPublicAccess } from "./mq-broker-no-public-access";
import { mqBrokerRequiredTags } from "./mq-broker-required-tags";
import { mqBrokerSafeNaming } from "./mq-broker-safe-naming";
import { mqBrokerUserCredentials } from "./mq-broker-user-credentials";
import { mqStackKmsKeyHygiene } from "./mq-stack-kms-key-hygiene";
import { mqStackMultiAzSubnets } from "./mq-stack-multi-az-subnets";
import { mqStackNetworkExposure } from "./mq-stack-network-exposure";
import { mqStackSecretBackedUsers } from "./mq-stack-secret-backed-users";
import { mqStackUniqueBrokerNames } from "./mq-stack-unique-broker-names";
import { mqStackFipsEndpoints } from "./mq-stack-fips-endpoints";
import { mqConfigurationNoEmbeddedCredentials } from "./mq-configuration-no-embedded-credentials";
import { mqConfigurationValidData } from "./mq-configuration-valid-data";
import { mqConfigurationLeastPrivilege } from "./mq-configuration-least-privilege";
import { mqStackBrokerConfiguration } from "./mq-stack-broker-configuration";

export const policies: PackPolicy[] = [
    // Resource policies on aws:mq/broker:Broker.
    mqBrokerHighAvailability,
    mqBrokerKmsEncryption,
    mqBrokerNoPublicAccess,
    mqBrokerUserCredentials,
    mqBrokerSafeNaming,
    mqBrokerLogging,
    mqBrokerEngineVersion,
    mqBrokerAutoMinorVersionUpgrade,
    mqBrokerInstanceType,
    mqBrokerDurableStorage,
    mqBrokerRequiredTags,
    mqBrokerLdapAuthentication,
    // Resource policies on aws:mq/configuration:Configuration.
    mqConfigurationNoEmbeddedCredentials,
    mqConfigurationValidData,
    mqConfigurationLeastPrivilege,
    // Stack policies: each broker with the keys, networks and secrets it depends on.
    mqStackKmsKeyHygiene,
    mqStackSecretBackedUsers,
    mqStackNetworkExposure,
    mqStackMultiAzSubnets,
    mqStackUniqueBrokerNames,
    mqStackFipsEndpoints,
    mqStackBrokerConfiguration,
];
