using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>The tallies <c>goheapdump inspect</c> prints, on small hand-built dumps whose counts are known by construction.</summary>
public sealed class DumpSummaryTests
{
    private const ulong Heap = 0xc000000000;

    private static DumpSummary Summarize(byte[] dump)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dump-summary-{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, dump);
        try
        {
            return DumpSummary.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Memstats whose value at wire index i is 1000 + i, so each named field shows which index it read.</summary>
    private static DumpBytes IndexedMemStats(DumpBytes b)
    {
        b.U(10);
        for (var i = 0UL; i < HeapDumpFormat.MemStatsValueCount; i++)
        {
            b.U(1000 + i);
        }

        return b;
    }

    [Fact]
    public void Read_TalliesKindsSizesGoroutinesTypesAndTheFirstParamsAndMemStats()
    {
        var b = DumpBytes.WithHeader().Params(ncpu: 4)
            .Type(0x4a0000, 16, "main.T").Type(0x4a0100, 24, "main.T").Type(0x4a0200, 8, "main.U")
            .Object(Heap, 16, 0).Object(Heap + 16, 16).Object(Heap + 32, 100).Object(Heap + 256, 0)
            .Goroutine(0xc000100000, goid: 1, status: 4, waitReason: "chan receive")
            .Goroutine(0xc000100100, goid: 2, status: 4, waitReason: "chan receive", isSystem: true)
            .Goroutine(0xc000100200, goid: 3, status: 1, waitReason: "")
            .Params(ncpu: 99); // a second params record: the first one counts
        var bytes = IndexedMemStats(b).Eof().ToArray();

        var summary = Summarize(bytes);

        Assert.Null(summary.Error);
        Assert.Equal(HeaderVersion.Go17, summary.Version);
        Assert.Equal(bytes.Length, summary.Bytes);
        Assert.Equal(3, summary.Kinds[(int)RecordKind.Type].Count);
        Assert.Equal(4, summary.Kinds[(int)RecordKind.Object].Count);
        Assert.Equal(2, summary.Kinds[(int)RecordKind.Params].Count);
        Assert.Equal(1, summary.Kinds[(int)RecordKind.Eof].Count);
        Assert.Equal(1, summary.Kinds[(int)RecordKind.Eof].Bytes);

        // Sizes 16, 16 → bucket 4 (9–16); 100 → bucket 7 (65–128); 0 → bucket 0.
        Assert.Equal(2, summary.ObjectCounts[4]);
        Assert.Equal(32, summary.ObjectBytes[4]);
        Assert.Equal(1, summary.ObjectCounts[7]);
        Assert.Equal(100, summary.ObjectBytes[7]);
        Assert.Equal(1, summary.ObjectCounts[0]);
        Assert.Equal(4, summary.ObjectCounts.Sum());

        Assert.Equal(2, summary.Goroutines[(4, "chan receive")]);
        Assert.Equal(1, summary.Goroutines[(1, "")]);
        Assert.Equal(1, summary.SystemGoroutines);

        Assert.Equal((24UL, 2L), summary.Types["main.T"]); // the last record's size, two records
        Assert.Equal((8UL, 1L), summary.Types["main.U"]);

        Assert.Equal(4UL, summary.Params!.Ncpu);
        Assert.Equal("amd64", summary.Producer!.Arch);
        Assert.Equal(1006UL, summary.MemStats!.HeapAlloc);
        Assert.Equal(1011UL, summary.MemStats.HeapObjects);
        Assert.Equal(1002UL, summary.MemStats.Sys);
        Assert.Equal(1000UL + HeapDumpFormat.MemStatsValueCount - 1, summary.MemStats.NumGC);
    }

    [Fact]
    public void Read_CutDump_KeepsWhatCameBeforeTheErrorAndTheError()
    {
        var b = DumpBytes.WithHeader().Params().Object(Heap, 16);
        var cutAt = b.Mark + 3;
        var bytes = b.Object(Heap + 16, 16).ToArray()[..(int)cutAt];

        var summary = Summarize(bytes);

        Assert.NotNull(summary.Error);
        Assert.Equal("S07", summary.Error.Rule.Id);
        Assert.Equal(1, summary.Kinds[(int)RecordKind.Object].Count);
        Assert.Null(summary.MemStats);
    }

    [Fact]
    public void Read_NotADump_Throws() =>
        Assert.Throws<HeapDumpFormatException>(() => Summarize("not a heap dump at all\n"u8.ToArray()));
}
