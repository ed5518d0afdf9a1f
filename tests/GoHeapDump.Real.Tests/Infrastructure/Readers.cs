namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>
/// The two readers whose canonical JSONL is compared: <c>goheapdump parse</c> (the suite's CLI, the Kaitai parser), run
/// as a process the way a user runs it or, where a process would cost mostly .NET's start-up, the same command line in
/// this process; and <c>dumpjsonl</c> (fixtures/producers/go/dumpjsonl), an independent reader written in Go, built once
/// per test run.
/// </summary>
internal static class Readers
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lock Gate = new();
    private static string? _dumpJsonl;

    /// <summary>Environment for go commands: the module as committed, this toolchain, no cgo.</summary>
    public static IReadOnlyDictionary<string, string> GoEnvironment { get; } = new Dictionary<string, string>
    {
        ["GOFLAGS"] = "-mod=mod",
        ["GO111MODULE"] = "on",
        ["GOTOOLCHAIN"] = "local",
        ["CGO_ENABLED"] = "0",
    };

    /// <summary>The dumpjsonl binary, built on first use (skips without go; fails in CI).</summary>
    public static string RequireDumpJsonl()
    {
        var go = Toolchain.RequireGo();
        lock (Gate)
        {
            if (_dumpJsonl is not null)
            {
                return _dumpJsonl;
            }

            var output = Path.Combine(AppContext.BaseDirectory, "go-tools", "dumpjsonl");
            var (exit, stdout, stderr) = ChildProcess.Run(go, ["build", "-trimpath", "-o", output, "./dumpjsonl"], BuildTimeout,
                RepoPaths.GoProducers, GoEnvironment);
            Assert.True(exit == 0, $"go build ./dumpjsonl failed ({exit}):\n{stdout}{stderr}");
            _dumpJsonl = output;
            return output;
        }
    }

    /// <summary>Starts <c>dumpjsonl FILE</c>.</summary>
    public static ChildProcess StartDumpJsonl(string dump) => ChildProcess.Start(RequireDumpJsonl(), [dump]);

    /// <summary>Starts <c>goheapdump parse FILE</c> (the CLI assembly beside the tests, run by the dotnet host).</summary>
    public static ChildProcess StartGoHeapDumpParse(string dump)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        return ChildProcess.Start(host, [Path.Combine(AppContext.BaseDirectory, "goheapdump.dll"), "parse", dump]);
    }

    /// <summary>
    /// <c>goheapdump parse FILE</c> in this process: the CLI's own entry point (<c>GoHeapDumpCli.Run</c>, the command
    /// line parsed as the program parses it) with its stdout and stderr captured; the exit code it would exit with.
    /// </summary>
    public static (int Exit, string Stdout, string Stderr) GoHeapDumpParseInProcess(string dump)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = GoHeapDump.Cli.GoHeapDumpCli.Run(["parse", dump], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
