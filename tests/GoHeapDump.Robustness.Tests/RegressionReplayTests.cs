using GoHeapDump.Fuzz;
using GoHeapDump.Testing;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// Every input a fuzz target once failed on (tests/GoHeapDump.Fuzz/regressions, each fixed; see its README)
/// through every target: both parsers, the validator, the differential check and the allocation budgets.
/// </summary>
public class RegressionReplayTests
{
    public static TheoryData<string> Regressions()
    {
        var data = new TheoryData<string>();
        var directory = Path.Combine(RepositoryRoot.Path, "tests", "GoHeapDump.Fuzz", "regressions");
        foreach (var file in Directory.GetFiles(directory, "*.bin").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Regression_EveryTarget_Passes(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "GoHeapDump.Fuzz", "regressions", file));
        FuzzTargets.All(input);
    }

    [Fact]
    public void Regressions_EveryOneIsListedInTheReadme()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "tests", "GoHeapDump.Fuzz", "regressions");
        var readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        foreach (var file in Directory.GetFiles(directory, "*.bin"))
        {
            Assert.Contains($"`{Path.GetFileName(file)}`", readme, StringComparison.Ordinal);
        }
    }

    /// <summary>The targets themselves: an input that breaks a rule the target checks makes it throw.</summary>
    [Fact]
    public void Targets_AcceptValidAndRejectWhatTheyMust()
    {
        var dump = Corpus.All["seed/every-kind-go17"];
        FuzzTargets.All(dump);
        FuzzTargets.All(dump[..100]);
        Assert.True(FuzzTargets.SameError(null, null));
        var atHeaderEnd = FuzzTargets.FastRecords(dump[..16]).Error; // S08 at 16
        var inHeader = FuzzTargets.FastRecords(dump[..15]).Error; // S07 at 5
        Assert.Equal(("S08", 16L), (atHeaderEnd!.RuleId, atHeaderEnd.Offset));
        Assert.Equal(("S07", 5L), (inHeader!.RuleId, inHeader.Offset));
        Assert.False(FuzzTargets.SameError(atHeaderEnd, inHeader));
    }
}
