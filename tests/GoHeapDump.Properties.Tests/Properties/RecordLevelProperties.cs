using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Reference;
using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>
/// The record-level writer and the Kaitai parser are inverses on the records a dump holds, and together they
/// reproduce the reference writer's bytes exactly.
/// </summary>
public sealed class RecordLevelProperties
{
    internal const int QuickCases = 100;

    [Fact]
    public void RecordWriter_SpecifiedRecords_KaitaiParsesThemBack() =>
        PropertyRunner.Check(nameof(RecordWriter_SpecifiedRecords_KaitaiParsesThemBack), HeapArbitraries.ValidState(), RoundTrip, QuickCases);

    [Fact]
    public void RecordWriter_KaitaiParseOfWriterDump_ReproducesTheWriterBytes() =>
        PropertyRunner.Check(nameof(RecordWriter_KaitaiParseOfWriterDump_ReproducesTheWriterBytes), HeapArbitraries.ValidState(), g => ReproducesWriterBytes(g, WriterFaults.None), QuickCases);

    /// <summary>records → record-level writer → Kaitai parser gives the same records.</summary>
    private static void RoundTrip(GeneratedState g)
    {
        var expected = DumpSpecification.Expect(g.State);
        var records = expected.Records;
        var bytes = RecordWriter.ToBytes(expected.Header, records);
        var parse = Dumps.ParseKaitai(bytes);
        Check(parse.Error is null && parse.Position == bytes.Length, $"the Kaitai parser rejects the record writer's bytes: {parse.Error?.Message}");
        var diff = Dumps.Diff(records, parse.Records);
        Check(diff is null, $"round trip changed the records: {diff}");
    }

    /// <summary>Kaitai parse of the reference writer's dump → record-level writer reproduces the writer's bytes exactly.</summary>
    internal static void ReproducesWriterBytes(GeneratedState g, WriterFaults faults)
    {
        var run = Dumps.Write(g.State, faults);
        var parse = Dumps.ParseKaitai(run.Bytes);
        Check(run.Fatal is null && parse.Error is null, $"no complete dump: writer {run.Fatal?.Message}, parser {parse.Error?.Message}");
        var again = RecordWriter.ToBytes(DumpSpecification.Expect(g.State).Header, parse.Records);
        var at = again.AsSpan().CommonPrefixLength(run.Bytes);
        Check(at == again.Length && at == run.Bytes.Length, $"record writer bytes differ from the reference writer's at offset {at} ({again.Length} vs {run.Bytes.Length} bytes)");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
