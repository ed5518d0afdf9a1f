using GoHeapDump.Kaitai;
using GoHeapDump.Real.Tests.Checking;
using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Validation;
using Xunit.Abstractions;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// The committed real dumps (fixtures/real): one case per dump, so a failure names it. Each decompresses to the size and
/// SHA-256 in INDEX.tsv, parses to its EOF record with the Kaitai parser, satisfies its probe's manifest through each
/// of the suite's parsers, and validates with no errors under both profiles with the parsers' cross-check.
/// </summary>
public sealed class CommittedDumpTests(ITestOutputHelper output)
{
    public static TheoryData<string> Dumps => RealDumpCatalog.Ids;

    public static TheoryData<string, string> DumpsAndReaders
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var dump in RealDumpCatalog.All)
            {
                foreach (var reader in DumpReaders.All)
                {
                    data.Add(dump.Id, reader);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Catalog_FindsTheCommittedDumps()
    {
        // fixtures/real/README.md lists eight dumps from five producer directories; a vanished directory or a manifest
        // renamed out of the pattern would otherwise shrink the theory below without a failure.
        Assert.True(RealDumpCatalog.All.Count >= 8, $"found {RealDumpCatalog.All.Count} committed dumps: {string.Join(", ", RealDumpCatalog.All)}");
        Assert.Contains(RealDumpCatalog.All, d => d.Directory.StartsWith("gccgo-", StringComparison.Ordinal));
        Assert.Contains(RealDumpCatalog.All, d => d.Directory.EndsWith("-mips", StringComparison.Ordinal));
    }

    [Fact]
    public void Index_ListsEveryCommittedDumpAndNothingElse()
    {
        var indexed = RealDumpCatalog.Index.Select(e => $"{e.Directory}/{e.File}").Order(StringComparer.Ordinal).ToList();
        var onDisk = Directory.GetFiles(RepoPaths.RealDumps, "*.dump.gz", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetFileName(Path.GetDirectoryName(p))}/{Path.GetFileName(p)}")
            .Order(StringComparer.Ordinal).ToList();
        var withManifest = RealDumpCatalog.All.Select(d => $"{d.Directory}/{d.Probe}.dump.gz").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(onDisk, indexed);
        Assert.Equal(onDisk, withManifest);
    }

    [Theory]
    [MemberData(nameof(Dumps))]
    public void CommittedDump_Decompressed_MatchesIndexSizeAndSha256(string id)
    {
        var dump = RealDumpCatalog.Get(id);
        Assert.True(dump.Index is not null, $"{id}: no INDEX.tsv line");
        Assert.Equal(dump.Index.GzBytes, new FileInfo(dump.DumpGzPath).Length);

        using var stream = dump.OpenDecompressed();
        var sha256 = stream.FinishSha256();

        Assert.Equal(dump.Index.DumpBytes, stream.BytesRead);
        Assert.Equal(dump.Index.Sha256, sha256);
    }

    [Theory]
    [MemberData(nameof(Dumps))]
    public void CommittedDump_KaitaiParser_ReadsToEofAndConsumesEveryByte(string id)
    {
        var dump = RealDumpCatalog.Get(id);
        using var stream = dump.OpenDecompressed();
        long records = 0;
        HeapDumpRecord? last = null;
        long position;
        using (var reader = KaitaiHeapDumpReader.Open(stream, leaveOpen: true))
        {
            while (reader.Read() is { } record)
            {
                records++;
                last = record;
            }

            position = reader.Position;
        }

        Assert.IsType<EofRecord>(last);
        Assert.Equal(dump.Index!.DumpBytes, position);
        // Nothing left for FinishSha256 to drain: the parser read the whole file.
        Assert.Equal(dump.Index.Sha256, stream.FinishSha256());
        Assert.Equal(dump.Index.DumpBytes, stream.BytesRead);
        output.WriteLine($"{id}: {records} records, {position} bytes");
    }

    [Theory]
    [MemberData(nameof(DumpsAndReaders))]
    public void CommittedDump_EachParser_SatisfiesItsManifest(string id, string parser)
    {
        var dump = RealDumpCatalog.Get(id);
        var manifest = dump.LoadManifest();
        using var stream = dump.OpenDecompressed();
        using var reader = DumpReaders.Open(parser, stream);

        var report = ManifestChecker.Check(manifest, reader, id);

        output.WriteLine(report.Describe());
        RunSummary.Record("committed", id, "manifest/" + parser, report.Results.Count, report.FailedCount);
        Assert.True(report.AllPassed, report.Describe());
    }

    public static TheoryData<string, string> DumpsAndProfiles
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var dump in RealDumpCatalog.All)
            {
                foreach (var profile in RealValidation.Profiles)
                {
                    data.Add(dump.Id, profile);
                }
            }

            return data;
        }
    }

    /// <summary>No false alarms: every real dump conforms under both profiles, and the Kaitai parser agrees with the fast
    /// reader on it (<c>goheapdump validate [--strict] --cross-check</c>).</summary>
    [Theory]
    [MemberData(nameof(DumpsAndProfiles))]
    public void CommittedDump_Validator_ReportsNoErrors(string id, string profile)
    {
        var dump = RealDumpCatalog.Get(id);

        // The validator's second pass (locating overlapping objects) and the cross-check decompress again.
        var report = RealValidation.Validate(profile, id, dump.OpenDecompressed);

        output.WriteLine(RealValidation.Describe(report));
        RunSummary.Record("committed", id, "validate/" + profile, 1, RealValidation.Clean(report) ? 0 : 1);
        Assert.True(RealValidation.Clean(report), RealValidation.Describe(report));
        Assert.Equal(dump.Index!.DumpBytes, report.BytesRead);
    }

    internal static string Describe(ValidationReport report) =>
        $"{report.Name}: {report.RecordCount} records, {report.ErrorCount} errors, {report.WarningCount} warnings"
        + (report.StructureError is { } e ? $"; structure error: {e.Message}" : "")
        + string.Concat(report.Diagnostics.Take(20).Select(d => "\n  " + d));
}
