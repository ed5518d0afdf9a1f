using System.Text.RegularExpressions;
using GoHeapDump.Properties.Tests.Generators;

namespace GoHeapDump.Properties.Tests;

/// <summary>The reproducibility chain: a failure reports a seed, and replaying that seed fails again on the same state.</summary>
public sealed partial class PropertyRunnerTests
{
    [Fact]
    public void Check_Failure_ReportsASeedThatReplaysTheSameFailure()
    {
        // A property that fails on any state with an in-use span.
        static void Body(GeneratedState g)
        {
            if (g.State.Spans.Any(s => s.State == Runtime.SpanState.InUse))
            {
                throw new InvalidOperationException("has an in-use span");
            }
        }

        var first = Assert.Throws<PropertyFailedException>(() => PropertyRunner.Check("demo", HeapArbitraries.ValidStateUnshrunk(), Body, 200, maxTest: 200));
        Assert.Contains("has an in-use span", first.Message, StringComparison.Ordinal);
        Assert.Contains("StateGenerator.Build(seed: 0x", first.Message, StringComparison.Ordinal);
        var seed = ReplayLine().Match(first.Message).Groups[1].Value;

        // The replayed run meets the same failing state (same generator seed and size) after the same cases.
        var again = Assert.Throws<PropertyFailedException>(() => PropertyRunner.Check("demo", HeapArbitraries.ValidStateUnshrunk(), Body, 200, replay: seed, maxTest: 200));
        Assert.Equal(GeneratorLine().Match(first.Message).Value, GeneratorLine().Match(again.Message).Value);
    }

    [Theory]
    [InlineData("(1,3)", 1UL, 3UL)]
    [InlineData(" (18446744073709551615, 3, 40) ", ulong.MaxValue, 3UL)]
    public void ParseReplay_FsCheckSeed_Parses(string text, ulong seed, ulong gamma)
    {
        var replay = PropertyRunner.ParseReplay(text);
        Assert.Equal(seed, replay.Rnd.Seed);
        Assert.Equal(gamma, replay.Rnd.Gamma);
    }

    [Fact]
    public void ParseReplay_Garbage_Throws() => Assert.Throws<ArgumentException>(() => PropertyRunner.ParseReplay("(1)"));

    [GeneratedRegex("GOHEAPDUMP_PROPERTY_REPLAY=\"(\\([0-9, ]+\\))\"")]
    private static partial Regex ReplayLine();

    [GeneratedRegex(@"StateGenerator\.Build\(seed: 0x[0-9a-f]+, size: \d+")]
    private static partial Regex GeneratorLine();
}
