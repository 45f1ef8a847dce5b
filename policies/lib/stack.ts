// Facts about a stack's resources that the stack policies share: selecting by type, reading who feeds an
// input (`propertyDependencies`, keyed by the top-level input name), following that through an
// intermediary (an alias to its key, a secret version to its generator), and the reverse index (rules by
// the group they belong to). Every helper is linear in what it is given; none scans the stack per resource.
import type { PolicyResource } from "@pulumi/policy";
import { judgedAs, propertyName } from "./aws-native";
import { shown } from "./display";
import { nameFromUrn } from "./glob";

/** The resources judged as the given aws type (aws-native's equivalents too, see aws-native.ts), in stack order. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    return resources.filter(r => judgedAs(r.type) === type);
}

/** Whether a resource is judged as the given aws type (itself, or its aws-native equivalent). */
export function isA(resource: PolicyResource, type: string): boolean {
    return judgedAs(resource.type) === type;
}

/** Longest resource name a message shows whole (longer ones are cut, so a message stays bounded). */
const MAX_SHOWN_NAME = 200;

/** The resource's name (the last URN segment), for messages. */
export function resourceName(resource: PolicyResource): string {
    const name = typeof resource.name === "string" && resource.name !== "" ? resource.name : nameFromUrn(resource.urn);
    return shown(name, MAX_SHOWN_NAME);
}

/**
 * The stack resources that feed one top-level input (named as in `@pulumi/aws`; an aws-native resource's own
 * name for it is used), each once, in the order the engine gave them.
 */
export function dependenciesOf(resource: PolicyResource, input: string): PolicyResource[] {
    const deps = resource.propertyDependencies?.[propertyName(resource.type, input)];
    if (!Array.isArray(deps)) {
        return [];
    }
    const seen = new Set<string>();
    const result: PolicyResource[] = [];
    for (const dep of deps) {
        if (dep && typeof dep.urn === "string" && !seen.has(dep.urn)) {
            seen.add(dep.urn);
            result.push(dep);
        }
    }
    return result;
}

/** Every resource that feeds any input of `resource` (all its property dependencies), each once. */
export function allPropertyDependencies(resource: PolicyResource): PolicyResource[] {
    const seen = new Set<string>();
    const result: PolicyResource[] = [];
    for (const input of Object.keys(resource.propertyDependencies ?? {})) {
        for (const dep of dependenciesOf(resource, input)) {
            if (!seen.has(dep.urn)) {
                seen.add(dep.urn);
                result.push(dep);
            }
        }
    }
    return result;
}

/**
 * The resources that feed `input` of `resource`, plus, for each feeder whose type is a key of `through`,
 * the resources that feed that feeder's named input: one hop through an intermediary such as an
 * `aws:kms/alias:Alias` (`targetKeyId`) to the key behind it. Each resource once.
 */
export function followDependencies(
    resource: PolicyResource,
    input: string,
    through: Readonly<Record<string, string>>,
): PolicyResource[] {
    const seen = new Set<string>();
    const result: PolicyResource[] = [];
    const add = (r: PolicyResource) => {
        if (!seen.has(r.urn)) {
            seen.add(r.urn);
            result.push(r);
        }
    };
    for (const dep of dependenciesOf(resource, input)) {
        add(dep);
        const type = judgedAs(dep.type);
        const next = Object.prototype.hasOwnProperty.call(through, type) ? through[type] : undefined;
        if (next !== undefined) {
            dependenciesOf(dep, next).forEach(add);
        }
    }
    return result;
}

/**
 * A reverse index built in one pass: for each resource of `types`, the URNs fed into its `input` map to
 * that resource (security group rules by the group in `securityGroupId`).
 */
export function dependentsByTarget(
    resources: readonly PolicyResource[],
    types: ReadonlySet<string>,
    input: string,
): Map<string, PolicyResource[]> {
    const index = new Map<string, PolicyResource[]>();
    for (const resource of resources) {
        if (!types.has(judgedAs(resource.type))) {
            continue;
        }
        for (const target of dependenciesOf(resource, input)) {
            const list = index.get(target.urn);
            if (list) {
                list.push(resource);
            } else {
                index.set(target.urn, [resource]);
            }
        }
    }
    return index;
}

/** Names for a message: the first few, then how many more. */
export function listNames(names: readonly string[], max = 3): string {
    const shown = names.slice(0, max).join(", ");
    return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
