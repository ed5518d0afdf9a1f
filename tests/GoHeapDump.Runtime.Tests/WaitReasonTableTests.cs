using System.Text.RegularExpressions;
using GoHeapDump.Runtime;

namespace GoHeapDump.Runtime.Tests;

/// <summary>
/// <see cref="GoRuntime.WaitReasonStrings(GoRelease)"/> against the runtime sources of every installed release
/// (<c>/usr/lib/go-1.NN/src/runtime/runtime2.go</c>, waitReasonStrings in enum order; CI installs them): the table the
/// state builder takes a release's wait reasons from is the one that release compiles in.
/// </summary>
public sealed partial class WaitReasonTableTests
{
    public static TheoryData<int, int> InstalledReleases => new() { { 19, 8 }, { 21, 13 }, { 22, 12 }, { 23, 5 }, { 24, 4 }, { 26, 10 }, { 27, 3 } };

    [SkippableTheory]
    [MemberData(nameof(InstalledReleases))]
    public void WaitReasonStrings_AreTheReleasesTable(int minor, int patch)
    {
        var path = $"/usr/lib/go-1.{minor}/src/runtime/runtime2.go";
        Skip.IfNot(File.Exists(path) || Environment.GetEnvironmentVariable("GOHEAPDUMP_CI") == "1", $"{path} is not installed (fixtures/producers/go/install-toolchains)");
        var source = File.ReadAllText(path);
        var table = TableRegex().Match(source);
        Assert.True(table.Success, $"{path}: no waitReasonStrings table");
        var expected = StringRegex().Matches(table.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(expected, GoRuntime.WaitReasonStrings(new GoRelease(1, minor, patch)).Select(s => s.ToString()));
    }

    [GeneratedRegex(@"var waitReasonStrings = \[\.\.\.\]string\{(.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex TableRegex();

    [GeneratedRegex(@":\s*""([^""]*)""")]
    private static partial Regex StringRegex();
}
