// Every policy of the pack, in catalogue order. index.ts serves this list; tests import it directly.
import type { PackPolicy } from "./lib/policy";
import { mqBrokerNoPublicAccess } from "./mq-broker-no-public-access";

export const policies: PackPolicy[] = [
    mqBrokerNoPublicAccess,
];
