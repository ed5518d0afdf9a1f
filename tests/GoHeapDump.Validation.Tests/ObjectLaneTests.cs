using System.Globalization;
using System.Text;
using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// Objects are checked on a second thread (ObjectLane) while the reading thread decodes; the report must be the one a
/// single thread adding diagnostics in file order gives. V12 (address width) is the rule both threads add: the lane for
/// objects, the reading thread for params and segments, so which of its diagnostics the per-rule cap keeps shows
/// whether the two were merged in record order.
/// </summary>
public class ObjectLaneTests
{
    private const ulong Wide = 0x1_0000_0000; // past 4-byte pointers

    /// <summary>How the objects are handed over: inline one at a time, on the thread in batches of 2, 3 or the default.</summary>
    public static TheoryData<bool?, int> Lanes => new()
    {
        { false, 1 },
        { true, 2 },
        { true, 3 },
        { null, 8192 },
    };

    /// <summary>A 32-bit dump: params, then the records <paramref name="body"/> writes, memstats, EOF.</summary>
    private static byte[] Dump32(Action<DumpBytes> body)
    {
        var dump = DumpBytes.WithHeader().Params(ptrSize: 4, arch: "386", heapStart: 0x0a000000, heapEnd: 0x0a400000);
        body(dump);
        return dump.MemStats().Eof().ToArray();
    }

    private static ValidationReport Validate(byte[] dump, bool? thread, int batch, int cap = 100, long maxMemory = -1) =>
        HeapDumpValidator.Validate(new MemoryStream(dump), "test.dump", new ValidationOptions
        {
            MaxDiagnosticsPerRule = cap,
            MaxMemory = maxMemory,
            ObjectThread = thread,
            ObjectBatch = batch,
        });

    private static long[] KeptV12(ValidationReport report) =>
        [.. report.Diagnostics.Where(d => d.Rule.Id == "V12").Select(d => d.RecordIndex).Order()];

    [Theory]
    [MemberData(nameof(Lanes))]
    public void Cap_KeepsTheFirstInRecordOrder_ObjectsBeforeSegments(bool? thread, int batch)
    {
        // Records: 1–4 objects too wide (lane), 5 data and 6 bss too wide (reading thread).
        var dump = Dump32(d => d.Object(Wide, 16).Object(Wide + 16, 16).Object(Wide + 32, 16).Object(Wide + 48, 16)
            .Data(Wide * 2, 8).Bss(Wide * 3, 8));

        Assert.Equal([1L], KeptV12(Validate(dump, thread, batch, cap: 1)));
        Assert.Equal([1L, 2L, 3L], KeptV12(Validate(dump, thread, batch, cap: 3)));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], KeptV12(Validate(dump, thread, batch, cap: 5)));
        var all = Validate(dump, thread, batch, cap: 1);
        Assert.Equal(6, all.CountsByRule["V12"]);
    }

    [Theory]
    [MemberData(nameof(Lanes))]
    public void Cap_KeepsTheFirstInRecordOrder_SegmentsBetweenObjects(bool? thread, int batch)
    {
        // Records: 1 data (reading thread), 2–3 objects (lane), 4 bss (reading thread), 5 object (lane): all too wide.
        var dump = Dump32(d => d.Data(Wide * 2, 8).Object(Wide, 16).Object(Wide + 16, 16).Bss(Wide * 3, 8).Object(Wide + 32, 16));

        Assert.Equal([1L], KeptV12(Validate(dump, thread, batch, cap: 1)));
        Assert.Equal([1L, 2L], KeptV12(Validate(dump, thread, batch, cap: 2)));
        Assert.Equal([1L, 2L, 3L, 4L], KeptV12(Validate(dump, thread, batch, cap: 4)));
        var report = Validate(dump, thread, batch, cap: 100);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], KeptV12(report));
        Assert.Equal(5, report.CountsByRule["V12"]);
    }

    [Theory]
    [MemberData(nameof(Lanes))]
    public void ObjectsBeforeParams_AreCheckedWithoutThem(bool? thread, int batch)
    {
        // S11: the params come after two objects outside their heap range; a single pass checks those two without a
        // heap range (no V03) and the object after the params with it (V03).
        var dump = DumpBytes.WithHeader().Object(0x100, 16).Object(0x110, 16)
            .Params(heapStart: 0xc000000000, heapEnd: 0xc004000000).Object(0x120, 16).MemStats().Eof().ToArray();

        var report = Validate(dump, thread, batch);
        Assert.Equal([3L], report.Diagnostics.Where(d => d.Rule.Id == "V03").Select(d => d.RecordIndex));
    }

    /// <summary>Every dump of the corpus, valid and invalid: the same report whichever way the objects are handed over.</summary>
    [Fact]
    public void Corpus_SameReport_InlineAndOnTheThread()
    {
        var dumps = CorpusDumps();
        var threaded = 0;
        foreach (var path in dumps)
        {
            var bytes = File.ReadAllBytes(path);
            threaded += bytes.Length > 0 && Validate(bytes, false, 1).ObjectCount >= 2 ? 1 : 0;
            foreach (var (cap, maxMemory) in new[] { (100, -1L), (1, -1L), (100, 4096L) })
            {
                var inline = Render(Validate(bytes, false, 1, cap, maxMemory));
                Assert.Equal(inline, Render(Validate(bytes, true, 2, cap, maxMemory)));
                Assert.Equal(inline, Render(Validate(bytes, true, 3, cap, maxMemory)));
            }
        }

        Assert.True(threaded > 50, $"only {threaded} dumps have two objects or more: the thread was hardly used");
    }

    /// <summary>The paths of every dump of the corpus, valid and invalid, in order.</summary>
    internal static List<string> CorpusDumps()
    {
        var dumps = Directory.GetFiles(RepositoryRoot.Under("fixtures", "valid"), "*.dump")
            .Concat(Directory.GetFiles(RepositoryRoot.Under("fixtures", "invalid"), "*.dump"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(dumps.Count > 100, $"only {dumps.Count} dumps under fixtures/");
        return dumps;
    }

    /// <summary>Everything a report says, as text.</summary>
    internal static string Render(ValidationReport r)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{r.ErrorCount} {r.WarningCount} {r.ObjectCount} {r.ObjectRunCount} {r.RecordCount} {r.BytesRead}");
        text.AppendLine(string.Join(' ', r.Kinds.Select(k => $"{k.Count}/{k.Bytes}")));
        text.AppendLine(r.StructureError?.Message ?? "no structure error");
        foreach (var d in r.Diagnostics)
        {
            text.AppendLine(d.ToString());
        }

        foreach (var (rule, count) in r.CountsByRule.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{rule} {count}");
        }

        foreach (var note in r.Notes)
        {
            text.AppendLine(note);
        }

        return text.ToString();
    }
}
