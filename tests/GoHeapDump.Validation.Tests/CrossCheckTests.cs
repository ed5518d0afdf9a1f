using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

public class CrossCheckTests
{
    private static readonly byte[] Dump = DumpBytes.WithHeader().Params().Object(0xc000000000, 16, 8).Itab(1, 2).MemStats().Eof().ToArray();

    private static CrossCheck.Parser Fast => new("fast", s => HeapDumpReader.Open(s));

    private static CrossCheck.Parser Altered(Func<int, HeapDumpRecord, HeapDumpRecord?> change) =>
        new("altered", s => new AlteredReader(HeapDumpReader.Open(s), change));

    [Fact]
    public void Compare_SameParser_Agrees()
    {
        Assert.Empty(CrossCheck.Compare(Fast, Fast, () => new MemoryStream(Dump)));
    }

    [Fact]
    public void Compare_DifferentRecord_ReportsItsIndexAndBothRenderings()
    {
        var disagreements = CrossCheck.Compare(Fast, Altered((i, r) => i == 2 ? new ItabRecord(1, 3) : r), () => new MemoryStream(Dump));
        var line = Assert.Single(disagreements);
        Assert.StartsWith("record #2 at offset", line, StringComparison.Ordinal);
        Assert.Contains("\"type_address\":\"2\"", line, StringComparison.Ordinal);
        Assert.Contains("\"type_address\":\"3\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DifferentError_Reported()
    {
        var broken = Dump[..^1];
        var disagreements = CrossCheck.Compare(Fast, Altered((i, r) => i == 3 ? throw new HeapDumpFormatException(StructureRules.Truncated, "x", 5, 3, null, null) : r),
            () => new MemoryStream(broken));
        Assert.Equal("record #3: fast reads on but altered stops with S07 at offset 5", Assert.Single(disagreements));
    }

    [Fact]
    public void Compare_ParserCannotHoldARecord_IsIncompleteNotADisagreement()
    {
        var disagreements = CrossCheck.Compare(Fast, Altered((i, r) => i == 1 ? throw new NotSupportedException("too large") : r),
            () => new MemoryStream(Dump), 10, out var incomplete);
        Assert.Empty(disagreements);
        Assert.Equal("stopped at record #1: too large", incomplete);
    }

    private sealed class AlteredReader(HeapDumpReader inner, Func<int, HeapDumpRecord, HeapDumpRecord?> change) : IHeapDumpReader
    {
        private int _index;

        public HeaderVersion Version => inner.Version;

        public long Position => inner.Position;

        public long RecordIndex => inner.RecordIndex;

        public HeapDumpRecord? Read() => inner.Read() is { } record ? change(_index++, record) : null;

        public void Dispose() => inner.Dispose();
    }
}
