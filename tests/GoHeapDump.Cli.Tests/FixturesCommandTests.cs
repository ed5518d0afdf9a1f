using GoHeapDump.Fixtures;

namespace GoHeapDump.Cli.Tests;

public sealed class FixturesCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = GoHeapDumpCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void FixturesCheck_RepositoryCorpus_ExitsZero()
    {
        var dir = CorpusMaintenance.FindFixturesDirectory(AppContext.BaseDirectory)!;

        var (exit, stdout, _) = Run("fixtures", "check", "--fixtures", dir);

        Assert.Equal(0, exit);
        Assert.Contains($"fixtures check: ok (suite {SuiteInfo.Version},", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void FixturesCheck_MissingFolder_IsAUsageError()
    {
        var (exit, _, stderr) = Run("fixtures", "check", "--fixtures", "/nonexistent/fixtures");

        Assert.Equal(2, exit);
        Assert.Contains("is not a folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void FixturesExport_NewFolder_WritesACorpusThatPassesFixturesCheck()
    {
        var target = Path.Combine(Path.GetTempPath(), "goheapdump-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, stdout, stderr) = Run("fixtures", "export", target);

            Assert.True(exit == 0, stderr);
            Assert.Contains($"files of the suite {SuiteInfo.Version} corpus written to {target}", stdout, StringComparison.Ordinal);
            var source = CorpusMaintenance.FindFixturesDirectory(AppContext.BaseDirectory)!;
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, "manifest.json")), File.ReadAllBytes(Path.Combine(target, "manifest.json")));
            Assert.False(Directory.Exists(Path.Combine(target, "producers")), "producer sources are not corpus");
            var (checkExit, checkOut, _) = Run("fixtures", "check", "--fixtures", target);
            Assert.True(checkExit == 0, checkOut);
        }
        finally
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
    }

    [Fact]
    public void FixturesExport_NonEmptyFolder_IsAUsageErrorAndTouchesNothing()
    {
        var target = Path.Combine(Path.GetTempPath(), "goheapdump-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        var mine = Path.Combine(target, "mine.txt");
        File.WriteAllText(mine, "the user's");
        try
        {
            var (exit, _, stderr) = Run("fixtures", "export", target);

            Assert.Equal(2, exit);
            Assert.Contains("exists and is not an empty folder", stderr, StringComparison.Ordinal);
            Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
            Assert.Equal("the user's", File.ReadAllText(mine));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void Conformance_WithoutParser_IsAUsageError()
    {
        var (exit, _, stderr) = Run("conformance");

        Assert.Equal(2, exit);
        Assert.Contains("--parser", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Conformance_ZeroTimeout_IsAUsageError()
    {
        var (exit, _, stderr) = Run("conformance", "--parser", "cat", "--timeout", "0");

        Assert.Equal(2, exit);
        Assert.Contains("--timeout", stderr, StringComparison.Ordinal);
    }
}
