namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>An <see cref="IHeapDumpReader"/> over records already in memory: lets a test feed the checker a real dump's
/// records with one of them changed.</summary>
internal sealed class ListReader(IReadOnlyList<HeapDumpRecord> records, HeaderVersion version = HeaderVersion.Go17) : IHeapDumpReader
{
    private int _next;

    public HeaderVersion Version => version;

    public long Position => _next;

    public long RecordIndex => _next;

    public HeapDumpRecord? Read() => _next < records.Count ? records[_next++] : null;

    public void Dispose()
    {
    }
}
