using System.IO.Compression;
using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// Broken variants of the real dumps in fixtures/real: each is reported with the right rule at an offset
/// that follows from the edit alone (the file's length, the header's size), and no mutation crashes the
/// validator.
/// </summary>
public class RealDumpVariantTests
{
    public static TheoryData<string> RealDumps()
    {
        var data = new TheoryData<string>();
        var directory = RepositoryRoot.Under("fixtures", "real");
        if (!Directory.Exists(directory))
        {
            data.Add(""); // one case, which fails in Load: a missing corpus is a failure, not a pass.
            return data;
        }

        foreach (var file in Directory.GetFiles(directory, "*.dump.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(directory, file));
        }

        return data;
    }

    // Eight theories take every dump: each is decompressed once per run, and every test gets its own copy to edit.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<byte[]>> Loaded = new(StringComparer.Ordinal);

    private static byte[] Load(string relative)
    {
        Assert.True(relative.Length != 0, "fixtures/real is missing: the real corpus is part of the suite");
        return (byte[])Loaded.GetOrAdd(relative, r => new Lazy<byte[]>(() => Decompress(r))).Value.Clone();
    }

    private static byte[] Decompress(string relative)
    {
        using var gzip = new GZipStream(File.OpenRead(RepositoryRoot.Under("fixtures", "real", relative)), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static ValidationReport Validate(byte[] dump, ValidationProfile profile = ValidationProfile.Default) =>
        HeapDumpValidator.Validate(new MemoryStream(dump), "variant", new ValidationOptions { Profile = profile });

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void EofRemoved_ReportsMissingEofAtTheEnd(string relative)
    {
        var dump = Load(relative);
        Assert.Equal(0, dump[^1]);
        RuleTests.AssertOnly(Validate(dump[..^1]), "S08", dump.Length - 1);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void BytesAppended_ReportsTrailingBytesAtTheOldEnd(string relative)
    {
        var dump = Load(relative);
        RuleTests.AssertOnly(Validate([.. dump, 0x00, 0x01]), "S09", dump.Length);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void EofTagOverlong_ReportsUvarintTooLongAtItsTenthByte(string relative)
    {
        var dump = Load(relative);
        // The EOF tag 00 becomes eleven bytes: ten 80s and a 00.
        byte[] overlong = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        RuleTests.AssertOnly(Validate([.. dump[..^1], .. overlong]), "S02", dump.Length - 1 + 9);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void EofTagNonMinimal_IsAWarningAtIt(string relative)
    {
        var dump = Load(relative);
        byte[] padded = [.. dump[..^1], 0x80, 0x00];
        var lax = Validate(padded);
        Assert.True(lax.Conforms);
        RuleTests.AssertOnly(Validate(padded, ValidationProfile.Strict), "S10", dump.Length - 1);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void FirstTagUnknown_ReportsUnknownTagAt16(string relative)
    {
        var dump = Load(relative);
        Assert.Equal(6, dump[16]); // params comes first
        dump[16] = 0x12;
        RuleTests.AssertOnly(Validate(dump), "S05", 16);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void HeaderVersionChanged_ReportsHeaderMagicAt4(string relative)
    {
        var dump = Load(relative);
        dump[4] = (byte)'9';
        RuleTests.AssertOnly(Validate(dump), "S01", 4);
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void TruncatedAnywhere_IsAStructureErrorAtOrBeforeTheCut(string relative)
    {
        var dump = Load(relative);
        var random = new Random(relative.Length);
        for (var i = 0; i < 40; i++)
        {
            var cut = random.Next(0, dump.Length - 1);
            var report = Validate(dump[..cut]);
            var error = Assert.Single(report.Diagnostics, d => d.Severity == RuleSeverity.Error);
            Assert.True(error.Rule.Id is "S07" or "S08", $"cut at {cut}: {error}");
            Assert.True(error.Offset <= cut, $"cut at {cut}: {error}");
            Assert.True(error.Rule.Id == "S07" || error.Offset == cut, $"cut at {cut}: {error}");
        }
    }

    [Theory]
    [MemberData(nameof(RealDumps))]
    public void RandomByteChanges_NeverCrash(string relative)
    {
        var dump = Load(relative);
        var random = new Random(relative.Length * 31);
        for (var i = 0; i < 60; i++)
        {
            var mutated = (byte[])dump.Clone();
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                mutated[random.Next(16, mutated.Length)] = (byte)random.Next(256);
            }

            var report = Validate(mutated); // must return, whatever the bytes
            Assert.True(report.Conforms || report.ErrorCount > 0);
        }
    }
}
