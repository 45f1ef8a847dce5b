// pulumi-language-nodejs STAND-IN for the aws-mq-guardrails test suites.
//
// The real Node.js language host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is refused by the Go module proxy these machines reach ("This module version is not available", 2026-12-03),
// while the engine (github.com/pulumi/pulumi/pkg/v3) and the SDK (github.com/pulumi/pulumi/sdk/v3) are served.
// The engine needs a `nodejs` language plugin for two things our suites exercise, and this program does only
// those two, the way the engine's protocol (sdk/v3 proto/go/language.proto) describes them:
//
//   - RunPlugin with kind "analyzer": start a policy pack. Run `node <pack>/node_modules/@pulumi/pulumi/cmd/
//     run-policy-pack <args...> <pack dir>` in the pack directory, behind the SDK's own PolicyProxy
//     (sdk/v3 policy_proxy.go), which answers the engine's Handshake and ConfigureStack and then forwards every
//     other Analyzer call to the pack process.
//   - Run: run a TypeScript/JavaScript program with `node <program>/node_modules/@pulumi/pulumi/cmd/run`, passing
//     the monitor and engine addresses, project, stack, dry-run and the stack config (PULUMI_CONFIG) as that
//     entry point documents in its usage text.
//
// Everything else (code generation, templates, dependency installation) is answered Unimplemented or empty.
// Every verdict the suites assert comes from the real engine and the real @pulumi/policy SDK in the pack.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Version is set at link time to the engine version it is built with.
var Version = "3.0.0"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	args := os.Args[1:]
	// The engine passes its address as the last positional argument (buildArgsForNewPlugin); ignore flags.
	engine := ""
	for _, a := range args {
		if len(a) > 0 && a[0] != '-' {
			engine = a
		}
	}
	h := &host{engineAddress: engine}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// No anticipated packages: the engine loads the `aws` provider when the program registers its first resource.
func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	return nil // the suites install with npm themselves
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return &pulumirpc.AboutResponse{Executable: "node (pulumi-language-nodejs stand-in)"}, nil
}

// sdkEntry finds a file of the @pulumi/pulumi package as Node resolves it from dir.
func sdkEntry(dir, entry string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", entry)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("@pulumi/pulumi/cmd/%s not found from %s: run npm install there", entry, dir)
		}
	}
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.Pwd
	entry := "."
	if req.Info != nil {
		programDir = req.Info.ProgramDirectory
		if req.Info.EntryPoint != "" {
			entry = req.Info.EntryPoint
		}
	}
	runPath, err := sdkEntry(programDir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := []string{runPath,
		"--monitor=" + req.MonitorAddress,
		"--engine=" + h.engineAddress,
		"--organization=" + req.Organization,
		"--project=" + req.Project,
		"--stack=" + req.Stack,
		"--pwd=" + req.Pwd,
	}
	if req.DryRun {
		args = append(args, "--dry-run")
	}
	if req.Parallel > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.Parallel)))
	}
	if req.Info != nil && req.Info.RootDirectory != "" {
		args = append(args, "--root-directory="+req.Info.RootDirectory)
	}
	args = append(args, filepath.Join(programDir, entry))
	args = append(args, req.Args...)

	env := os.Environ()
	config, err := json.Marshal(req.Config)
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.ConfigSecretKeys)
	if err != nil {
		return nil, err
	}
	env = append(env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT=true")

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.Pwd
	cmd.Env = env
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			// The program reported its error through the engine already (bail), as the real host assumes.
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()), Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.Kind != string(apitype.AnalyzerPlugin) {
		return errors.New("this stand-in language host only runs policy packs (kind analyzer)")
	}
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	packDir := req.Info.ProgramDirectory
	runPath, err := sdkEntry(packDir, "run-policy-pack")
	if err != nil {
		return err
	}
	// The policy pack gets the engine address (req.Args) and then its own directory, last.
	args := append([]string{runPath}, req.Args...)
	args = append(args, packDir)
	env := req.Env

	proxy, proxiedStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get stack configuration: %w", err)
	}
	if config != nil {
		add := func(k, v string) {
			if v != "" {
				env = append(env, k+"="+v)
			}
		}
		add("PULUMI_NODEJS_ORGANIZATION", config.Organization)
		add("PULUMI_NODEJS_PROJECT", config.Project)
		add("PULUMI_NODEJS_STACK", config.Stack)
		add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.DryRun))
		if config.Config != nil {
			b, err := json.Marshal(config.Config)
			if err != nil {
				return err
			}
			add("PULUMI_CONFIG", string(b))
		}
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = packDir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = proxiedStdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node: %w", err)
	}
	if err := proxy.Attach(ctx, cmd); err != nil {
		return fmt.Errorf("could not attach policy pack proxy: %w", err)
	}
	return closer.Close()
}
