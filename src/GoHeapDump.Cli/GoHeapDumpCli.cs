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
        return root;
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
