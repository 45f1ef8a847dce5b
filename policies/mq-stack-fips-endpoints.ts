import type { PolicyResource } from "@pulumi/policy";
import { isNative, NATIVE_TYPES } from "./lib/aws-native";
import { shown } from "./lib/display";
import { stackPolicy, StackFinding } from "./lib/policy";
import { nameFromUrn } from "./lib/glob";
import { field, isPlainObject, isUnknown, readBoolean, readString, unwrap, UNKNOWN, Unknown } from "./lib/values";

/** The provider resource type that manages aws:mq brokers (explicit `new aws.Provider` and default providers). */
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The provider resource type that manages aws-native:amazonmq brokers (explicit and default providers). */
export const AWS_NATIVE_PROVIDER_TYPE: string = NATIVE_TYPES.provider;

/**
 * The regions where Amazon MQ has a FIPS endpoint (`mq-fips.<region>.amazonaws.com`): US East (Ohio,
 * N. Virginia) and US West (N. California, Oregon), from "Amazon MQ endpoints and quotas" in the AWS General
 * Reference, https://docs.aws.amazon.com/general/latest/gr/amazon-mq.html (read 2026-12-03); the Amazon MQ
 * developer guide documents the `mq-fips.region.amazonaws.com` form,
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/connect-to-amazonmq.html (read 2026-12-03).
 * The AWS GovCloud (US) regions are not on that page; a GovCloud organization adds them with `fipsRegions`
 * after checking https://aws.amazon.com/compliance/fips/ (not re-read on 2026-12-03) for its account. The GovCloud
 * user guide says GovCloud provides "FIPS 140-3 endpoints" and lists them per service under "Service Endpoints"
 * (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/whatis.html, read 2026-12-03; the per-service list,
 * using-govcloud-endpoints.html, was not read): an organization checks Amazon MQ there.
 */
export const MQ_FIPS_REGIONS: readonly string[] = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"];

/**
 * The provider input that selects FIPS endpoints, `useFipsEndpoint` ("Resolve an endpoint with FIPS
 * capability", @pulumi/aws 7.48.0 provider.d.ts; https://www.pulumi.com/registry/packages/aws/api-docs/provider/,
 * read 2026-12-03). Absent means false. Provider inputs in a stack's state hold configuration values as strings,
 * so `"true"` counts as true (readBoolean): not confirmed by a Pulumi document as of 2026-12-03; it rests on the
 * pack's real-CLI runs (tests/real-cli) against stack exports. The AWS_USE_FIPS_ENDPOINT environment variable also turns it on,
 * but nothing in the stack shows it: this policy asks for the setting in code, where a review can see it.
 */
const FIPS_INPUT = "useFipsEndpoint";

/**
 * aws-native brokers. The `pulumi:providers:aws-native` provider does not call Amazon MQ: it creates, reads, updates
 * and deletes every resource through the AWS Cloud Control API (`CreateResource` and siblings; provider.go of
 * https://github.com/pulumi/pulumi-aws-native, provider/pkg/provider/provider.go, read 2026-12-03), and Cloud Control
 * calls Amazon MQ inside AWS, where no setting of the program shows or changes which endpoint it uses. It has no
 * `useFipsEndpoint` (@pulumi/aws-native 1.79.0 provider.d.ts). What the program does control is the endpoint it sends
 * Cloud Control calls to: the provider's `endpoints` input, whose `cloudcontrol` entry overrides the Cloud Control
 * endpoint (types/input.d.ts ProviderEndpointArgs; provider.go resolves each AWS SDK client's service id, lower
 * case, through that map, so `cloudcontrol` reaches the Cloud Control client). So this policy asks, of an
 * aws-native broker, that its provider's `endpoints.cloudcontrol` be the Cloud Control API FIPS endpoint of the
 * provider's region (`https://cloudcontrolapi-fips.<region>.amazonaws.com`, or the dual-stack `.api.aws` form), in a
 * region where Cloud Control has one. That assures FIPS 140 TLS for the calls that create and change the broker
 * from the program; it cannot assure the hop from Cloud Control to Amazon MQ, which the finding says.
 *
 * The AWS SDKs also turn FIPS endpoints on from AWS_USE_FIPS_ENDPOINT or a profile's use_fips_endpoint
 * ("Dual-stack and FIPS endpoints", https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html, read
 * 2026-12-03, SDK for Go V2: supported), but nothing in the stack shows them: as for aws, the setting is asked for
 * where a review can see it.
 */
const CLOUD_CONTROL_INPUT = "endpoints";

/**
 * The regions where the Cloud Control API has a FIPS endpoint (`cloudcontrolapi-fips.<region>.amazonaws.com` and
 * `cloudcontrolapi-fips.<region>.api.aws`): US East (Ohio, N. Virginia), US West (N. California, Oregon), Canada
 * (Central), Canada West (Calgary) and AWS GovCloud (US-East, US-West), from "Cloud Control API endpoints and
 * quotas" in the AWS General Reference, https://docs.aws.amazon.com/general/latest/gr/cloudcontrolapi.html (read
 * 2026-12-03; every other region lists no FIPS endpoint).
 */
export const CLOUD_CONTROL_FIPS_REGIONS: readonly string[] = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "us-gov-east-1", "us-gov-west-1",
];

/** The Cloud Control FIPS endpoints of a region, as `endpoints.cloudcontrol` accepts them (an https URL). */
export function cloudControlFipsEndpoints(region: string): string[] {
    return [`https://cloudcontrolapi-fips.${region}.amazonaws.com`, `https://cloudcontrolapi-fips.${region}.api.aws`];
}

export interface MqStackFipsEndpointsConfig {
    fipsRegions: string[];
}

/** What the policy reads from the aws provider of one broker; UNKNOWN while a value is not known (preview). */
interface AwsProviderFacts {
    kind: "aws";
    name: string;
    useFips: boolean | undefined | Unknown;
    region: string | undefined | Unknown;
}

/**
 * What the policy reads from the aws-native provider of one broker: the `cloudcontrol` endpoint(s) it sets (none
 * when `endpoints` or its `cloudcontrol` is absent), UNKNOWN while not known (preview).
 */
interface NativeProviderFacts {
    kind: "aws-native";
    name: string;
    cloudControl: string[] | Unknown;
    region: string | undefined | Unknown;
}

type ProviderFacts = AwsProviderFacts | NativeProviderFacts;

/** Longest `endpoints` text parsed (a real one is a few hundred characters); a longer one is read as unreadable. */
const MAX_ENDPOINTS_TEXT = 10_000;

/**
 * The `cloudcontrol` values of an aws-native provider's `endpoints`. Provider inputs in a stack's state hold an
 * object-valued setting as JSON text (not confirmed by a Pulumi document as of 2026-12-03; observed in the pack's
 * real-CLI runs); the program's SDK types it as a list of `{ cloudcontrol, ... }` and the stack
 * config (`aws-native:endpoints`) as one object: all three are read. A value that is not a string (or text that is
 * not JSON) sets no endpoint the provider can use, so it reads as not set.
 */
export function cloudControlEndpoints(endpoints: unknown): string[] | Unknown {
    if (isUnknown(endpoints)) {
        return UNKNOWN;
    }
    let value = endpoints;
    if (typeof value === "string") {
        if (value.length > MAX_ENDPOINTS_TEXT) {
            return [];
        }
        try {
            value = JSON.parse(value) as unknown;
        } catch {
            return [];
        }
    }
    const blocks = Array.isArray(value) ? value : [value];
    const found: string[] = [];
    for (const block of blocks) {
        if (isUnknown(block)) {
            return UNKNOWN;
        }
        const cloudControl = isPlainObject(block) ? field(block, "cloudcontrol") : undefined;
        if (cloudControl === UNKNOWN) {
            return UNKNOWN;
        }
        if (typeof cloudControl === "string") {
            found.push(cloudControl);
        }
    }
    return found;
}

function providerName(provider: NonNullable<PolicyResource["provider"]>): string {
    return typeof provider.name === "string" && provider.name !== "" ? provider.name : nameFromUrn(String(provider.urn));
}

function regionOf(props: unknown): string | undefined | Unknown {
    const region = readString(props, "region");
    return typeof region === "string" ? region.trim().toLowerCase() : region;
}

/**
 * The facts of the provider that manages a broker of `brokerType`: the aws provider for an aws broker, the
 * aws-native provider for an aws-native one. No provider sent (an engine or export that does not attach it), or
 * not the provider of the broker's package: nothing to judge.
 */
function providerFacts(provider: PolicyResource["provider"], brokerType: string): ProviderFacts | undefined {
    const expected = isNative(brokerType) ? AWS_NATIVE_PROVIDER_TYPE : AWS_PROVIDER_TYPE;
    if (!provider || provider.type !== expected) {
        return undefined;
    }
    const props = unwrap(provider.props);
    if (expected === AWS_NATIVE_PROVIDER_TYPE) {
        return { kind: "aws-native", name: providerName(provider), cloudControl: cloudControlEndpoints(field(props, CLOUD_CONTROL_INPUT)), region: regionOf(props) };
    }
    return { kind: "aws", name: providerName(provider), useFips: readBoolean(props, FIPS_INPUT), region: regionOf(props) };
}

/** Whether `endpoint` is a Cloud Control FIPS endpoint of `region` (any listed region when the region is not known). */
function isCloudControlFips(endpoint: string, region: string | undefined): boolean {
    const url = endpoint.trim().toLowerCase().replace(/\/$/, "");
    const regions = region === undefined ? CLOUD_CONTROL_FIPS_REGIONS : [region];
    return regions.some(r => cloudControlFipsEndpoints(r).includes(url));
}

/** Why an aws-native broker's provider does not send Cloud Control calls to a FIPS endpoint, or undefined. */
function nativeFipsReason(facts: NativeProviderFacts): string | undefined {
    const provider = `the aws-native provider ${shown(facts.name, 60)} that manages this broker`;
    const regions = CLOUD_CONTROL_FIPS_REGIONS.join(", ");
    if (facts.cloudControl === UNKNOWN) {
        return undefined;
    }
    const region = typeof facts.region === "string" && facts.region !== "" ? facts.region : undefined;
    const scope = "This assures FIPS 140 TLS from the program to AWS; Cloud Control's own calls to Amazon MQ happen inside " +
        "AWS, where no setting shows them. A provider setting updates no broker.";
    if (region !== undefined && !CLOUD_CONTROL_FIPS_REGIONS.includes(region)) {
        return `${provider} is in region ${shown(region, 30)}, where the Cloud Control API, through which aws-native ` +
            `creates and changes the broker, has no FIPS endpoint (cloudcontrolapi-fips endpoints: ${regions}); create the ` +
            "broker in one of those regions (moving a broker replaces it), or through the aws provider with useFipsEndpoint: true.";
    }
    const expected = region === undefined ? "https://cloudcontrolapi-fips.<region>.amazonaws.com" : cloudControlFipsEndpoints(region)[0];
    const fix = `set endpoints.cloudcontrol to ${expected} (or the .api.aws form) on the provider (for the default provider, ` +
        `\`pulumi config set --path aws-native:endpoints.cloudcontrol ${expected}\`).`;
    if (facts.cloudControl.length === 0) {
        return `${provider} does not set endpoints.cloudcontrol, so the Cloud Control API calls that create and change the ` +
            `broker go to the standard endpoint, not a FIPS 140 one (aws-native has no useFipsEndpoint); ${fix} ${scope}`;
    }
    if (facts.cloudControl.every(e => isCloudControlFips(e, region))) {
        return undefined;
    }
    const where = region === undefined ? "a Cloud Control FIPS endpoint" : `the Cloud Control FIPS endpoint of region ${region}`;
    // The value itself is not shown: an endpoint URL may carry credentials.
    return `${provider} sets endpoints.cloudcontrol to a URL that is not ${where}, so the calls that create and change ` +
        `the broker do not use a FIPS 140 endpoint; ${fix} ${scope}`;
}

/** Why the broker's provider does not reach Amazon MQ (or, for aws-native, Cloud Control) through a FIPS endpoint, or undefined. */
export function fipsReason(facts: ProviderFacts, fipsRegions: readonly string[]): string | undefined {
    if (facts.kind === "aws-native") {
        return nativeFipsReason(facts);
    }
    const provider = `the aws provider ${shown(facts.name, 60)} that manages this broker`;
    const regions = fipsRegions.join(", ");
    if (facts.useFips === UNKNOWN) {
        return undefined;
    }
    if (facts.useFips !== true) {
        const state = facts.useFips === false ? "sets useFipsEndpoint: false" : "does not set useFipsEndpoint (false by default)";
        return `${provider} ${state}, so Amazon MQ API calls do not use a FIPS 140 endpoint; set useFipsEndpoint: true on ` +
            "the provider (for the default provider, `pulumi config set aws:useFipsEndpoint true`) in a region with an " +
            `Amazon MQ FIPS endpoint (${regions}). A provider setting updates no broker.`;
    }
    if (typeof facts.region === "string" && facts.region !== "" && !fipsRegions.includes(facts.region)) {
        return `${provider} sets useFipsEndpoint: true, but Amazon MQ has no FIPS endpoint in region ${shown(facts.region, 30)} ` +
            `(mq-fips endpoints: ${regions}); create the broker in one of those regions, or add the region to fipsRegions ` +
            "if AWS has since added an endpoint there. Moving a broker to another region replaces it.";
    }
    // Region absent (from the environment) or unknown (preview): the endpoint cannot be checked, so no finding.
    return undefined;
}

export const mqStackFipsEndpoints = stackPolicy<MqStackFipsEndpointsConfig>({
    name: "mq-stack-fips-endpoints",
    description: "The AWS provider that manages each Amazon MQ broker uses FIPS endpoints (useFipsEndpoint: true) in a " +
        "region where Amazon MQ has one, and an aws-native provider sends its Cloud Control API calls to that API's FIPS " +
        "endpoint (endpoints.cloudcontrol); opt-in, for FedRAMP and FIPS 140 shops.",
    severity: "medium",
    enforcementLevel: "disabled",
    configSchema: {
        properties: {
            fipsRegions: {
                type: "array",
                // The pack's own shape for an AWS region code (us-east-1, us-gov-west-1, cn-north-1): no AWS page read
                // on 2026-12-03 defines the grammar; it covers every region code in the Amazon MQ and Cloud Control
                // FIPS endpoint lists cited above.
                items: { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$" },
                default: [...MQ_FIPS_REGIONS],
                description: "The regions where Amazon MQ has a FIPS endpoint, lower case. Defaults to those the AWS " +
                    `General Reference listed on 2026-12-03: ${MQ_FIPS_REGIONS.join(", ")}. Add a region (an AWS GovCloud ` +
                    "region, say) when AWS lists an Amazon MQ FIPS endpoint there.",
            },
        },
    },
    remediationSteps: "Create brokers through an aws provider with `useFipsEndpoint: true` (`new aws.Provider(\"fips\", " +
        "{ region: \"us-east-1\", useFipsEndpoint: true })`, or `pulumi config set aws:useFipsEndpoint true` for the " +
        "default provider), in a region where Amazon MQ has a FIPS endpoint. The setting changes how Pulumi calls the " +
        "AWS API; it updates no broker. Opt-in: enable this policy where FIPS 140 validated endpoints are required. " +
        "An aws-native broker is created and changed through the Cloud Control API, and the aws-native provider has no " +
        "useFipsEndpoint: set the provider's endpoints.cloudcontrol to the Cloud Control FIPS endpoint of its region " +
        "(`https://cloudcontrolapi-fips.us-east-1.amazonaws.com`; for the default provider `pulumi config set --path " +
        "aws-native:endpoints.cloudcontrol https://cloudcontrolapi-fips.us-east-1.amazonaws.com`), in a region where " +
        `Cloud Control has one (${CLOUD_CONTROL_FIPS_REGIONS.join(", ")}). That covers the calls from your program; ` +
        "Cloud Control's own calls to Amazon MQ happen inside AWS and no setting shows them, so where every hop must be " +
        "FIPS-assured, manage brokers with the aws provider." +
        "\n\n```typescript\n" +
        "import * as aws from \"@pulumi/aws\";\n" +
        "import * as pulumi from \"@pulumi/pulumi\";\n" +
        "\n" +
        "const fips = new aws.Provider(\"fips\", { region: \"us-east-1\", useFipsEndpoint: true });\n" +
        "// Pass as the broker's options: new aws.mq.Broker(name, args, opts)\n" +
        "const opts: pulumi.CustomResourceOptions = { provider: fips };\n" +
        "```",
    url: "https://docs.aws.amazon.com/general/latest/gr/amazon-mq.html",
    tags: ["FedRAMP SC-13", "NIST SP 800-53 SC-13", "Amazon MQ data protection guidance (FIPS endpoints)"],
    check: (_resources, context) => {
        const fipsRegions = (context.config.fipsRegions ?? []).map(r => String(r).trim().toLowerCase());
        // Relate each provider once (many brokers share one), then judge each broker through its provider.
        const reasons = { aws: new Map<unknown, string | undefined>(), native: new Map<unknown, string | undefined>() };
        const findings: StackFinding[] = [];
        for (const broker of context.brokers) {
            const provider = broker.provider;
            const byProvider = isNative(broker.type) ? reasons.native : reasons.aws;
            if (!byProvider.has(provider)) {
                const facts = providerFacts(provider, broker.type);
                byProvider.set(provider, facts ? fipsReason(facts, fipsRegions) : undefined);
            }
            const reason = byProvider.get(provider);
            if (reason) {
                findings.push({ urn: broker.urn, message: reason });
            }
        }
        return findings;
    },
});
