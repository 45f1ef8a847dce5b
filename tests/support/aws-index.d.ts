// What `@pulumi/aws` is in npm test's typecheck phase (tests/tsconfig.json `paths`): the service namespaces the
// example programs, the real-CLI fixture program and the specs name, each re-exported from the pinned package's
// own module under the name its index.d.ts gives it. The real index imports all of its ~250 service modules
// (2,700 declaration files, 780,000 lines that tsc would parse and bind on every run); this one imports six.
// A type that resolves here is the pinned package's; a namespace left out is an error ("Property 'iam' does not
// exist"), never a pass: add its line (tests/examples-programs.spec.ts checks each line against the real index).
export * as config from "@pulumi/aws/config";
export * as ec2 from "@pulumi/aws/ec2";
export * as kms from "@pulumi/aws/kms";
export * as mq from "@pulumi/aws/mq";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as types from "@pulumi/aws/types";
