using System.CommandLine;
using GoHeapDump.Cli.Commands;

namespace GoHeapDump.Cli;

/// <summary>Exit codes shared by every command.</summary>
internal static class ExitCodes
{
    /// <summary>Success: the input conforms / the job completed.</summary>
    public const int Ok = 0;

    /// <summary>The input is not a conforming heap dump (format error or rule violations).</summary>
    public const int FormatError = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>A file could not be read or written.</summary>
    public const int IoError = 3;
}

/// <summary>The <c>goheapdump</c> command tree. Commands register here; each lives in its own file.</summary>
internal static class GoHeapDumpCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Go heap dump conformance suite: parse, validate and generate runtime/debug.WriteHeapDump files.");
        // Commands: add one line per command.
        root.Subcommands.Add(ParseCommand.Create());
        root.Subcommands.Add(Commands.ValidateCommand.Create());
        root.Subcommands.Add(Commands.InspectCommand.Create());
        root.Subcommands.Add(Commands.GenerateCommand.Create());
        root.Subcommands.Add(Commands.FixturesCommand.Create());
        root.Subcommands.Add(Commands.ConformanceCommand.Create());
        UseSuiteVersion(root);
        return root;
    }

    /// <summary><c>--version</c> prints the conformance suite's version (Directory.Build.props SuiteVersion), then in
    /// parentheses the version and place of the corpus the corpus commands would use: <c>0.3.0 (corpus 0.3.0 at DIR)</c>.
    /// The first word stays the bare version, for scripts.</summary>
    private static void UseSuiteVersion(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new PrintSuiteVersion();
            }
        }
    }

    private sealed class PrintSuiteVersion : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var corpus = CorpusLocation.Resolve(null);
            var version = corpus is null ? null : CorpusLocation.VersionOf(corpus);
            parseResult.InvocationConfiguration.Output.WriteLine(corpus is null
                ? $"{GoHeapDump.Fixtures.SuiteInfo.Version} (no corpus found)"
                : $"{GoHeapDump.Fixtures.SuiteInfo.Version} (corpus {version ?? "unreadable"} at {corpus})");
            return ExitCodes.Ok;
        }
    }

    /// <summary>Parses and runs; usage errors exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                stderr.WriteLine($"goheapdump: {error.Message}");
            }

            stderr.WriteLine("Run 'goheapdump --help' for usage.");
            return ExitCodes.Usage;
        }

        return result.Invoke(config);
    }
}
