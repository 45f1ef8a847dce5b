//go:build tools

// The wrapper module that builds the real Pulumi CLI at the pinned version (scripts/pulumi-cli.sh). The engine's
// own go.mod carries replace directives, so `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v3.276.0`
// refuses it; this module requires it instead and repeats its one non-local replace (atotto/clipboard).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
