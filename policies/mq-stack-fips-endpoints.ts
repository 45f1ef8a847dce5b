import type { PolicyResource } from "@pulumi/policy";
import { shown } from "./lib/display";
import { stackPolicy, StackFinding } from "./lib/policy";
import { nameFromUrn } from "./lib/glob";
import { readBoolean, readString, unwrap, UNKNOWN, Unknown } from "./lib/values";

/** The provider resource type that manages aws:mq brokers (explicit `new aws.Provider` and default providers). */
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/**
 * The regions where Amazon MQ has a FIPS endpoint (`mq-fips.<region>.amazonaws.com`): US East (Ohio,
 * N. Virginia) and US West (N. California, Oregon), from "Amazon MQ endpoints and quotas" in the AWS General
 * Reference, https://docs.aws.amazon.com/general/latest/gr/amazon-mq.html (read 2026-12-03); the Amazon MQ
 * developer guide documents the `mq-fips.region.amazonaws.com` form,
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/connect-to-amazonmq.html (read 2026-12-03).
 * The AWS GovCloud (US) regions are not on that page; a GovCloud organization adds them with `fipsRegions`
 * after checking https://aws.amazon.com/compliance/fips/ for its account.
 */
export const MQ_FIPS_REGIONS: readonly string[] = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"];

/**
 * The provider input that selects FIPS endpoints, `useFipsEndpoint` ("Resolve an endpoint with FIPS
 * capability", @pulumi/aws 7.48.0 provider.d.ts; https://www.pulumi.com/registry/packages/aws/api-docs/provider/,
 * read 2026-12-03). Absent means false. Provider inputs in a stack's state hold configuration values as strings,
 * so `"true"` counts as true (readBoolean). The AWS_USE_FIPS_ENDPOINT environment variable also turns it on,
 * but nothing in the stack shows it: this policy asks for the setting in code, where a review can see it.
 */
const FIPS_INPUT = "useFipsEndpoint";

export interface MqStackFipsEndpointsConfig {
    fipsRegions: string[];
}

/** What the policy reads from the provider of one broker; UNKNOWN while a value is not known (preview). */
interface ProviderFacts {
    name: string;
    useFips: boolean | undefined | Unknown;
    region: string | undefined | Unknown;
}

function providerFacts(provider: PolicyResource["provider"]): ProviderFacts | undefined {
    if (!provider || provider.type !== AWS_PROVIDER_TYPE) {
        // No provider sent (an engine or export that does not attach it), or not the aws provider: nothing to judge.
        return undefined;
    }
    const props = unwrap(provider.props);
    const region = readString(props, "region");
    return {
        name: typeof provider.name === "string" && provider.name !== "" ? provider.name : nameFromUrn(String(provider.urn)),
        useFips: readBoolean(props, FIPS_INPUT),
        region: typeof region === "string" ? region.trim().toLowerCase() : region,
    };
}

/** Why the broker's provider does not reach Amazon MQ through a FIPS endpoint, or undefined. */
export function fipsReason(facts: ProviderFacts, fipsRegions: readonly string[]): string | undefined {
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
        "region where Amazon MQ has one; opt-in, for FedRAMP and FIPS 140 shops.",
    severity: "medium",
    enforcementLevel: "disabled",
    configSchema: {
        properties: {
            fipsRegions: {
                type: "array",
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
        "AWS API; it updates no broker. Opt-in: enable this policy where FIPS 140 validated endpoints are required." +
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
        const reasons = new Map<unknown, string | undefined>();
        const findings: StackFinding[] = [];
        for (const broker of context.brokers) {
            const provider = broker.provider;
            if (!reasons.has(provider)) {
                const facts = providerFacts(provider);
                reasons.set(provider, facts ? fipsReason(facts, fipsRegions) : undefined);
            }
            const reason = reasons.get(provider);
            if (reason) {
                findings.push({ urn: broker.urn, message: reason });
            }
        }
        return findings;
    },
});
