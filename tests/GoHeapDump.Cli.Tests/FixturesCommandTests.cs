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
