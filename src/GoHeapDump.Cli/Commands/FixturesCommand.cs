using System.CommandLine;
using GoHeapDump.Fixtures;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump fixtures regen|check [--fixtures DIR]</c>: rebuilds the generated fixtures and their expectations
/// (atomically, only what changed, with a diff), or verifies the corpus against fixtures/manifest.json and proves
/// that regenerating would change nothing; <c>goheapdump fixtures export DIR</c> writes the corpus (dumps, manifest
/// with the expectations, real dumps and their manifests) to a new folder for other languages' test runners.
/// Exit 0 ok, 1 check failed, 2 usage, 3 I/O error.
/// </summary>
internal static class FixturesCommand
{
    public static Command Create()
    {
        var command = new Command("fixtures", "Maintain the conformance corpus in fixtures/ (see fixtures/README.md).");
        command.Subcommands.Add(Sub("regen", "Rebuild every generated fixture, expectation and fixtures/manifest.json deterministically; hand-written and real fixtures are read, never changed.", regen: true));
        command.Subcommands.Add(Sub("check", "Verify every fixture against fixtures/manifest.json (SHA-256), find unlisted files, and regenerate into a temporary folder to prove nothing would change.", regen: false));
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Export()
    {
        var target = new Argument<string>("DIR") { Description = "A folder that does not exist yet (or is empty): the corpus is written there." };
        var fixtures = new Option<string?>("--fixtures") { Description = "The corpus to export (default: fixtures/ of the repository containing the current directory, else the corpus bundled with goheapdump)." };
        var command = new Command("export", "Write the conformance corpus (manifest.json with every expectation, valid/, invalid/, real/) to DIR, for test runners in other languages.") { target, fixtures };
        command.SetAction(result => RunExport(result.GetRequiredValue(target), result.GetValue(fixtures), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    internal static int RunExport(string target, string? fixturesDir, TextWriter stdout, TextWriter stderr)
    {
        var source = CorpusLocation.Resolve(fixturesDir);
        if (source is null || !File.Exists(Path.Combine(source, CorpusBuilder.ManifestFileName)))
        {
            stderr.WriteLine($"goheapdump fixtures export: {(source is null ? CorpusLocation.NotFound : "no manifest.json in " + source)}; pass --fixtures DIR");
            return ExitCodes.Usage;
        }

        var full = Path.GetFullPath(target);
        if (!CorpusExport.CanExportTo(full))
        {
            stderr.WriteLine($"goheapdump fixtures export: {full} exists and is not an empty folder");
            return ExitCodes.Usage;
        }

        try
        {
            var count = CorpusExport.Export(source, full);
            stdout.WriteLine($"fixtures export: {count} files of the suite {CorpusLocation.VersionOf(full) ?? "?"} corpus written to {full}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"goheapdump fixtures export: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static Command Sub(string name, string description, bool regen)
    {
        var fixtures = new Option<string?>("--fixtures") { Description = regen
            ? "The fixtures folder (default: fixtures/ of the repository containing the current directory)."
            : "The corpus folder (default: fixtures/ of the repository containing the current directory, else the corpus bundled with goheapdump)." };
        var command = new Command(name, description) { fixtures };
        command.SetAction(result => Run(regen, result.GetValue(fixtures), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(bool regen, string? fixturesDir, TextWriter stdout, TextWriter stderr)
    {
        // regen writes: only into a checkout (or a folder named with --fixtures), never into the bundled corpus.
        var dir = regen ? fixturesDir ?? CorpusMaintenance.FindFixturesDirectory(Environment.CurrentDirectory) : CorpusLocation.Resolve(fixturesDir);
        if (dir is null || !Directory.Exists(dir))
        {
            stderr.WriteLine($"goheapdump fixtures: {(dir is null ? (regen ? "no fixtures/ folder above the current directory" : CorpusLocation.NotFound) : dir + " is not a folder")}; pass --fixtures DIR");
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
