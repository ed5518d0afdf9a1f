namespace GoHeapDump.Tests;

/// <summary>
/// The params record's version string read into a producer and release. The strings are the shapes Go's
/// runtime.Version() takes (go1.20, go1.21.0, rc/beta, devel in both eras, X: experiments, vendor suffixes), the
/// GOEXPERIMENT strings of 1.7–1.16, and gccgo's "unknown"; the expected values are worked out by hand.
/// </summary>
public class GoVersionTests
{
    [Theory]
    [InlineData("go1.19.8", 1, 19, 8)]
    [InlineData("go1.21.13", 1, 21, 13)]
    [InlineData("go1.22.12", 1, 22, 12)]
    [InlineData("go1.27.3", 1, 27, 3)]
    [InlineData("go1.20", 1, 20, 0)] // the first 1.20 release had no ".0"
    [InlineData("go1.21.0", 1, 21, 0)]
    [InlineData("go2.0.1", 2, 0, 1)]
    public void Parse_FinalRelease_IsGcWithThatRelease(string text, int major, int minor, int patch)
    {
        var v = GoVersion.Parse(text);

        Assert.Equal(GoCompiler.Gc, v.Compiler);
        Assert.Equal(new GoRelease(major, minor, patch), v.Release);
        Assert.True(v.IsKnown);
        Assert.False(v.IsDevel);
        Assert.Empty(v.Experiments);
        Assert.Null(v.Suffix);
        Assert.Equal(v.Release, v.Earliest);
        Assert.Equal(v.Release, v.Latest);
    }

    [Theory]
    [InlineData("go1.23rc1", GoPrereleaseKind.ReleaseCandidate, 1)]
    [InlineData("go1.22rc2", GoPrereleaseKind.ReleaseCandidate, 2)]
    [InlineData("go1.24beta1", GoPrereleaseKind.Beta, 1)]
    public void Parse_Prerelease_KeepsItsKindAndNumber(string text, GoPrereleaseKind kind, int number)
    {
        var release = GoVersion.Parse(text).Release!.Value;

        Assert.Equal(kind, release.Prerelease);
        Assert.Equal(number, release.PrereleaseNumber);
        Assert.Equal(0, release.Patch);
    }

    [Fact]
    public void Parse_Experiments_AreListedAndRemovedFromTheRelease()
    {
        var v = GoVersion.Parse("go1.22.1 X:noallocheaders,loopvar");

        Assert.Equal(new GoRelease(1, 22, 1), v.Release);
        Assert.Equal<string>(["noallocheaders", "loopvar"], v.Experiments.ToArray());
        Assert.True(v.HasExperiment("loopvar"));
        Assert.False(v.HasExperiment("boringcrypto"));
        Assert.Null(v.Suffix);
    }

    [Fact]
    public void Parse_VendorSuffix_IsKeptApart()
    {
        var v = GoVersion.Parse("go1.21.0-bigcorp X:boringcrypto");

        Assert.Equal(new GoRelease(1, 21, 0), v.Release);
        Assert.Equal("-bigcorp", v.Suffix);
        Assert.Equal<string>(["boringcrypto"], v.Experiments.ToArray());
    }

    [Fact]
    public void Parse_DevelWithRelease_IsBetweenThePreviousReleaseAndThatOne()
    {
        var v = GoVersion.Parse("devel go1.24-3f5b1c2 Tue Jan 7 10:00:00 2025 +0000");

        Assert.True(v.IsDevel);
        Assert.Equal(GoCompiler.Gc, v.Compiler);
        Assert.Equal(new GoRelease(1, 24, 0, GoPrereleaseKind.Devel), v.Release);
        Assert.Equal("-3f5b1c2 Tue Jan 7 10:00:00 2025 +0000", v.Suffix);
        Assert.True(v.IsAtLeast(1, 23)); // everything of 1.23
        Assert.False(v.IsAtLeast(1, 24)); // not certainly everything of 1.24
        Assert.False(v.IsBefore(1, 24)); // nor certainly without it
        Assert.True(v.IsBefore(1, 25));
    }

    [Fact]
    public void Parse_OldDevel_HasNoReleaseButIsAtLeast116()
    {
        var v = GoVersion.Parse("devel +b7a85e0003 Tue Apr 13 10:00:00 2021 +0000 X:regabiwrappers");

        Assert.True(v.IsDevel);
        Assert.Null(v.Release);
        Assert.False(v.IsKnown);
        Assert.True(v.IsAtLeast(1, 16));
        Assert.False(v.IsAtLeast(1, 17));
        Assert.False(v.IsBefore(1, 30));
        Assert.Equal<string>(["regabiwrappers"], v.Experiments.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("framepointer")]
    [InlineData("fieldtrack,framepointer")]
    public void Parse_GoExperimentString_IsGcBetween17And116(string goexperiment)
    {
        var v = GoVersion.Parse(goexperiment);

        Assert.Equal(GoCompiler.Gc, v.Compiler);
        Assert.Null(v.Release);
        Assert.True(v.IsAtLeast(1, 7));
        Assert.False(v.IsAtLeast(1, 8));
        Assert.True(v.IsBefore(1, 17));
        Assert.False(v.IsBefore(1, 16));
    }

    [Theory]
    [InlineData(HeaderVersion.Go15, 5)]
    [InlineData(HeaderVersion.Go16, 6)]
    public void Parse_OldHeader_NamesItsRelease(HeaderVersion header, int minor)
    {
        var v = GoVersion.Parse("", header);

        Assert.True(v.IsAtLeast(1, minor));
        Assert.False(v.IsAtLeast(1, minor + 1));
        Assert.True(v.IsBefore(1, minor + 1));
        Assert.False(v.IsBefore(1, minor));
        Assert.Equal($"gc go1.{minor}", v.Describe());
    }

    [Fact]
    public void Parse_Unknown_IsGccgoWithUnknownRelease()
    {
        var v = GoVersion.Parse("unknown");

        Assert.Equal(GoCompiler.Gccgo, v.Compiler);
        Assert.Null(v.Release);
        Assert.False(v.IsAtLeast(1, 0));
        Assert.False(v.IsBefore(99, 0));
        Assert.False(v.MallocHeaders);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("go")]
    [InlineData("go1")]
    [InlineData("go1.")]
    [InlineData("go1.x")]
    [InlineData("go12345678.1")]
    [InlineData("Go1.22.0")]
    public void Parse_Other_IsUnknownAndGatesNothing(string text)
    {
        var v = GoVersion.Parse(text);

        Assert.Equal(GoCompiler.Unknown, v.Compiler);
        Assert.Null(v.Release);
        Assert.False(v.IsAtLeast(1, 0));
        Assert.False(v.IsBefore(99, 0));
        Assert.Null(v.MallocHeaders);
    }

    [Theory]
    [InlineData("go1.19.8", false)]
    [InlineData("go1.21.13", false)]
    [InlineData("go1.22rc1", true)]
    [InlineData("go1.22.12", true)]
    [InlineData("go1.22.1 X:noallocheaders", false)]
    [InlineData("go1.27.3", true)]
    public void MallocHeaders_FromGo122UnlessTurnedOff(string text, bool expected) =>
        Assert.Equal(expected, GoVersion.Parse(text).MallocHeaders);

    [Fact]
    public void MallocHeaders_UnknownForADevelBuildOf122() =>
        Assert.Null(GoVersion.Parse("devel go1.22-abcdef0 Mon Oct 2 00:00:00 2023 +0000").MallocHeaders);

    [Fact]
    public void GoRelease_OrdersAsReleasedAndPrints()
    {
        GoRelease[] inOrder =
        [
            new(1, 21, 13),
            new(1, 22, 0, GoPrereleaseKind.Devel),
            new(1, 22, 0, GoPrereleaseKind.Beta, 1),
            new(1, 22, 0, GoPrereleaseKind.ReleaseCandidate, 1),
            new(1, 22, 0, GoPrereleaseKind.ReleaseCandidate, 2),
            new(1, 22, 0),
            new(1, 22, 3),
            new(1, 22, 12),
            new(1, 100, 0),
            new(2, 0, 0),
        ];

        for (var i = 1; i < inOrder.Length; i++)
        {
            Assert.True(inOrder[i - 1] < inOrder[i], $"{inOrder[i - 1]} < {inOrder[i]}");
        }

        Assert.Equal("1.22.12", inOrder[7].ToString());
        Assert.Equal("1.22rc2", inOrder[4].ToString());
        Assert.Equal("1.22beta1", inOrder[2].ToString());
        Assert.Equal("1.22 (devel)", inOrder[1].ToString());
    }

    [Fact]
    public void FromParams_ReadsTheVersionInfoString()
    {
        var p = ParamsRecord.WithArch(true, 8, 0xc000000000, 0xc004000000, "s390x", "go1.26.10", 2);

        var v = GoVersion.FromParams(p, HeaderVersion.Go17);

        Assert.Equal(new GoRelease(1, 26, 10), v.Release);
        Assert.Equal("gc go1.26.10", v.Describe());
    }

    [Theory]
    [InlineData("amd64", 8, false)]
    [InlineData("arm", 4, false)]
    [InlineData("mips", 4, true)]
    [InlineData("s390x", 8, true)]
    [InlineData("ppc64le", 8, false)]
    public void GoArchTraits_KnowsPointerSizeAndByteOrder(string arch, int ptrSize, bool bigEndian) =>
        Assert.Equal(new GoArchTraits(arch, ptrSize, bigEndian), GoArchTraits.Find(arch));

    [Fact]
    public void GoArchTraits_UnknownArchitectureIsNull() => Assert.Null(GoArchTraits.Find("vax"));
}

public class DumpProducerTests
{
    [Fact]
    public void Describe_NamesVersionArchitectureAndMallocHeaders()
    {
        var p = DumpProducer.FromParams(ParamsRecord.WithArch(true, 8, 0, 0, "s390x", "go1.22.12", 2), HeaderVersion.Go17);

        Assert.True(p.MatchesArch);
        Assert.Equal(
            "gc go1.22.12; s390x: 8-byte pointers, big-endian (as s390x implies); malloc headers (Go 1.22+: objects with pointers over 512 bytes in small-object spans start with an 8-byte type header)",
            p.Describe());
    }

    [Fact]
    public void Describe_32Bit_HeaderThresholdIs128Bytes() =>
        Assert.EndsWith("objects with pointers over 128 bytes in small-object spans start with an 8-byte type header)",
            DumpProducer.FromParams(ParamsRecord.WithArch(false, 4, 0, 0, "arm", "go1.27.3", 2), HeaderVersion.Go17).Describe(), StringComparison.Ordinal);

    [Fact]
    public void Describe_Gccgo() =>
        Assert.Equal(
            "gccgo, release unknown (version string \"unknown\"); amd64: 8-byte pointers, little-endian (as amd64 implies); no malloc headers",
            DumpProducer.FromParams(ParamsRecord.WithArch(false, 8, 0, 0, "amd64", "unknown", 2), HeaderVersion.Go17).Describe());

    [Fact]
    public void Describe_SaysWhenParamsDisagreeWithTheArchitecture()
    {
        var p = DumpProducer.FromParams(ParamsRecord.WithArch(false, 4, 0, 0, "s390x", "go1.19.8", 2), HeaderVersion.Go17);

        Assert.False(p.MatchesArch);
        Assert.Contains("s390x: 4-byte pointers, little-endian (but s390x has 8-byte pointers, big-endian)", p.Describe(), StringComparison.Ordinal);
        Assert.EndsWith("no malloc headers", p.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromParams_OldHeader_ReadsTheChar()
    {
        var p = DumpProducer.FromParams(ParamsRecord.WithTheChar(false, 8, 0, 0, '6', "", 1), HeaderVersion.Go15);

        Assert.Equal("amd64", p.Arch);
        Assert.StartsWith("gc go1.5; amd64", p.Describe(), StringComparison.Ordinal);
    }
}
