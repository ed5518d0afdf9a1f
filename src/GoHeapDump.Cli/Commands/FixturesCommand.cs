using System.CommandLine;
using GoHeapDump.Fixtures;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump fixtures regen|check [--fixtures DIR]</c>: rebuilds the generated fixtures and their expectations
/// (atomically, only what changed, with a diff), or verifies the corpus against fixtures/manifest.json and proves
/// that regenerating would change nothing. Exit 0 ok, 1 check failed, 2 usage, 3 I/O error.
/// </summary>
internal static class FixturesCommand
{
    public static Command Create()
    {
        var command = new Command("fixtures", "Maintain the conformance corpus in fixtures/ (see fixtures/README.md).");
        command.Subcommands.Add(Sub("regen", "Rebuild every generated fixture, expectation and fixtures/manifest.json deterministically; hand-written and real fixtures are read, never changed.", regen: true));
        command.Subcommands.Add(Sub("check", "Verify every fixture against fixtures/manifest.json (SHA-256), find unlisted files, and regenerate into a temporary folder to prove nothing would change.", regen: false));
        return command;
    }

    private static Command Sub(string name, string description, bool regen)
    {
        var fixtures = new Option<string?>("--fixtures") { Description = "The fixtures folder (default: fixtures/ of the repository containing the current directory)." };
        var command = new Command(name, description) { fixtures };
        command.SetAction(result => Run(regen, result.GetValue(fixtures), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(bool regen, string? fixturesDir, TextWriter stdout, TextWriter stderr)
    {
        var dir = fixturesDir ?? CorpusMaintenance.FindFixturesDirectory(Environment.CurrentDirectory);
        if (dir is null || !Directory.Exists(dir))
        {
            stderr.WriteLine($"goheapdump fixtures: {(dir is null ? "no fixtures/ folder above the current directory" : dir + " is not a folder")}; pass --fixtures DIR");
            return ExitCodes.Usage;
        }

        try
        {
            if (regen)
            {
                CorpusMaintenance.Regenerate(dir, stdout);
                return ExitCodes.Ok;
            }

            var result = CorpusMaintenance.Check(dir, stdout);
            stdout.WriteLine(result.Ok
                ? $"fixtures check: ok (suite {SuiteInfo.Version}, {result.FixturesChecked} fixtures)"
                : $"fixtures check: {result.Problems.Count} problem(s)");
            return result.Ok ? ExitCodes.Ok : ExitCodes.FormatError;
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"goheapdump fixtures: {e.Message}");
            return ExitCodes.FormatError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"goheapdump fixtures: {e.Message}");
            return ExitCodes.IoError;
        }
    }
}
