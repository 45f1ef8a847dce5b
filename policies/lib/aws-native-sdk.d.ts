// The `@pulumi/aws-native` types the pack and its tests name, as `native.<service>.<Type>` (like the package's
// own index), for type-only imports: `import type * as native from "./aws-native-sdk"`. The package's index
// imports all of its ~330 service modules (about 3,300 declaration files that tsc parses and binds for every
// type-check); this file imports the four services named here and the shared `types` (input, output, enums),
// which the services import anyway. A type from another service: add its module here. It is also what
// `@pulumi/aws-native` resolves to in npm test's typecheck phase (tests/tsconfig.json `paths`), for the aws-native
// example programs: each line re-exports the pinned package's own module under the name its index.d.ts gives it
// (tests/examples-programs.spec.ts checks), so a type that resolves is the pinned one and a namespace left out
// is an error, never a pass.
export * as amazonmq from "@pulumi/aws-native/amazonmq";
export * as ec2 from "@pulumi/aws-native/ec2";
export * as kms from "@pulumi/aws-native/kms";
export * as secretsmanager from "@pulumi/aws-native/secretsmanager";
export * as types from "@pulumi/aws-native/types";
