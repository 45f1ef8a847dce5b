// Amazon MQ engine versions: parsing `X.Y` / `X.Y.Z`, comparing them, and the dated facts about which
// versions Amazon MQ supports. Pure functions, no property reading.
import type { Engine } from "./broker";

export interface EngineVersion {
    major: number;
    minor: number;
    /** Absent for `X.Y`: Amazon MQ then keeps the broker on the latest patch of that minor version. */
    patch?: number;
}

/**
 * "Amazon MQ organizes version numbers according to semantic versioning specification as X.Y.Z" (Upgrading an
 * Amazon MQ broker engine version, https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/upgrading-brokers.html,
 * read 2026-12-03), and a new broker takes just "the major and minor version numbers. For example, RabbitMQ 4.2"
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-version-management.html, read 2026-12-03).
 * That AWS rejects blanks, a `v` prefix or `latest` is not confirmed by an AWS source as of 2026-12-03: it is the
 * pack's reading (such a value is reported as not a version rather than guessed at), and the 1-4 digit bound is
 * the pack's own limit on hostile input.
 */
const VERSION = /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?$/;

/** `5.18`, `3.13.7`; undefined for anything else (`5`, `latest`, `v5.18`, ` 5.18`: AWS takes no blanks). */
export function parseVersion(text: string): EngineVersion | undefined {
    if (text.length > 20) {
        return undefined;
    }
    const match = VERSION.exec(text);
    if (!match) {
        return undefined;
    }
    const version: EngineVersion = { major: Number(match[1]), minor: Number(match[2]) };
    if (match[3] !== undefined) {
        version.patch = Number(match[3]);
    }
    return version;
}

/**
 * Negative when `a` is older than `b`, zero when equal, positive when newer. The patch level counts only
 * when both give one: `5.18` (AWS-managed patches) satisfies a minimum of `5.18.2`.
 */
export function compareVersions(a: EngineVersion, b: EngineVersion): number {
    if (a.major !== b.major) {
        return a.major - b.major;
    }
    if (a.minor !== b.minor) {
        return a.minor - b.minor;
    }
    if (a.patch === undefined || b.patch === undefined) {
        return 0;
    }
    return a.patch - b.patch;
}

export function formatVersion(version: EngineVersion): string {
    return version.patch === undefined
        ? `${version.major}.${version.minor}`
        : `${version.major}.${version.minor}.${version.patch}`;
}

/**
 * The oldest version of each engine Amazon MQ still supports, from the Amazon MQ version support calendar
 * as read on 2026-11-27 and re-read on 2026-12-03 (unchanged): ActiveMQ 5.17 reached end of support on 2025-06-16 (5.18 and 5.19 remain, with no
 * end-of-support date listed); RabbitMQ 3.12 on 2025-03-17 (3.13 and 4.2 remain, no date listed). Review
 * against the calendar when AWS announces the next end-of-support date:
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-version-management.html
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-version-management.html
 */
export const SUPPORTED_MINIMUM_VERSIONS: Record<Engine, string> = {
    ActiveMQ: "5.18",
    RabbitMQ: "3.13",
};

/** One `major.minor` line Amazon MQ has offered, with its end of support when AWS has announced one. */
export interface OfferedLine {
    version: string;
    /** The Amazon MQ end-of-support date (ISO), absent while AWS lists none. */
    endOfSupport?: string;
}

/**
 * Every `major.minor` engine line Amazon MQ has offered, as the version support calendars list them, read
 * 2026-12-03: ActiveMQ 5.19 and 5.18 (no end of support), 5.17 (2025-06-16), 5.16 (2024-11-15), 5.15
 * (2024-09-16), https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-version-management.html;
 * RabbitMQ 4.2 and 3.13 (no end of support), 3.12 (2025-03-17), 3.11 (2025-02-17), 3.10 (2024-10-15), 3.9
 * (2024-09-16), https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-version-management.html,
 * and 3.8, the first line Amazon MQ for RabbitMQ offered, off the calendar (its end of support predates it) but
 * named by the same page, in versions of it read 2026-12-03, as one brokers upgrade from ("you cannot skip a minor
 * version, e.g. 3.8.x to 3.11.x"). The English pages list 5.19 above 5.18 and RabbitMQ 4.2 above 3.13, where some
 * translated pages still end at 5.18 and 3.13: the newer pages win.
 * Patch levels are not listed: from ActiveMQ 5.18 and RabbitMQ 3.13 on Amazon MQ takes `major.minor` only
 * (MAJOR_MINOR_ONLY_FROM), and the older lines are below the supported minimum. Overridable per engine with
 * the `offeredVersions` setting of mq-broker-engine-version when AWS adds a line.
 */
export const OFFERED_VERSIONS: Record<Engine, readonly OfferedLine[]> = {
    ActiveMQ: [
        { version: "5.15", endOfSupport: "2024-09-16" },
        { version: "5.16", endOfSupport: "2024-11-15" },
        { version: "5.17", endOfSupport: "2025-06-16" },
        { version: "5.18" },
        { version: "5.19" },
    ],
    RabbitMQ: [
        { version: "3.8" },
        { version: "3.9", endOfSupport: "2024-09-16" },
        { version: "3.10", endOfSupport: "2024-10-15" },
        { version: "3.11", endOfSupport: "2025-02-17" },
        { version: "3.12", endOfSupport: "2025-03-17" },
        { version: "3.13" },
        { version: "4.2" },
    ],
};

/** The date OFFERED_VERSIONS was read from the calendars, for messages. */
export const OFFERED_VERSIONS_READ = "2026-12-03";

/** Whether `version`'s `major.minor` is one of `lines` (each `major.minor`). */
export function isOffered(version: EngineVersion, lines: readonly string[]): boolean {
    return lines.some(line => {
        const parsed = parseVersion(line);
        return parsed !== undefined && parsed.major === version.major && parsed.minor === version.minor;
    });
}

/**
 * From these versions on, Amazon MQ takes only `major.minor` and manages the patch level itself (which
 * needs `autoMinorVersionUpgrade: true`); a `major.minor.patch` engineVersion fails at deploy time.
 * Sources, read 2026-12-03: "When upgrading to ActiveMQ version 5.18 and above or RabbitMQ version 3.13 and above,
 * you must have autoMinorVersionUpgrade set to true for the broker" (UpdateBroker engineVersion,
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/mq/aws.sdk.kotlin.services.mq.model/-update-broker-request/engine-version.html);
 * "For all brokers using engine version 3.13 and above, Amazon MQ manages upgrades to the latest supported patch
 * version" (upgrading-brokers.html). The sources disagree on scope: a newer revision of upgrading-brokers.html
 * (its China-region copy) says "Amazon MQ manages upgrade to the latest supported patch version for all
 * brokers", with no version bound; the API reference is the more specific and keeps the 5.18 / 3.13 bound, so it
 * wins here. No AWS documentation page read on 2026-12-03 says that a `major.minor.patch` value fails; the API's
 * own errors do, as users quote them: "BadRequestException: Broker engine version [3.13.7] is invalid for broker
 * engine type [RABBITMQ]. Valid values: [3.13]" (https://github.com/hashicorp/terraform-provider-aws/issues/42516)
 * and "Broker engine version [5.18.4] is invalid for broker engine type [ACTIVEMQ]. Valid values: [5.18, 5.17.6,
 * ...]" (https://github.com/hashicorp/terraform-provider-aws/issues/38708), and for the other half "Brokers on
 * [ActiveMQ] version [5.18] must have [autoMinorVersionUpgrade] set to [true]"
 * (https://github.com/aws-controllers-k8s/community/issues/2427), all read 2026-12-03.
 */
export const MAJOR_MINOR_ONLY_FROM: Record<Engine, EngineVersion> = {
    ActiveMQ: { major: 5, minor: 18 },
    RabbitMQ: { major: 3, minor: 13 },
};

/** Whether Amazon MQ manages patch versions (and so takes only `major.minor`) for this engine version. */
export function takesMajorMinorOnly(engine: Engine, version: EngineVersion): boolean {
    return compareVersions({ major: version.major, minor: version.minor }, MAJOR_MINOR_ONLY_FROM[engine]) >= 0;
}

/** The engine a config key names, case-insensitively (`activemq`, `RABBITMQ`); undefined otherwise. */
export function engineFromKey(key: string): Engine | undefined {
    const lower = key.trim().toLowerCase();
    if (lower === "activemq") {
        return "ActiveMQ";
    }
    if (lower === "rabbitmq") {
        return "RabbitMQ";
    }
    return undefined;
}
