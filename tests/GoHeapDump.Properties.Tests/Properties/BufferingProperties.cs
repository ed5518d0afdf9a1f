using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Reference;
using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>
/// The 4 KiB write buffer: the writer's write calls are exactly those the runtime's dwrite/flush rule makes
/// for the dwrite calls its primitives issue (as the specification derives them), and the bytes equal the
/// unbuffered encoding of the specified records (the record-level writer, which has no buffer).
/// </summary>
public sealed class BufferingProperties
{
    internal const int QuickCases = 150;

    [Fact]
    public void Writer_WriteCalls_ObeyThe4096ByteRule() =>
        PropertyRunner.Check(nameof(Writer_WriteCalls_ObeyThe4096ByteRule), HeapArbitraries.AnyState(), g => WriteCallsObeyTheRule(g, WriterFaults.None), QuickCases);

    [Fact]
    public void Writer_BufferedBytes_EqualTheUnbufferedEncoding() =>
        PropertyRunner.Check(nameof(Writer_BufferedBytes_EqualTheUnbufferedEncoding), HeapArbitraries.ValidState(), g => BufferedEqualsUnbuffered(g, WriterFaults.None), QuickCases);

    /// <summary>The write calls are those of the runtime's buffer rule over the specified dwrites (without the final flush when the runtime dies).</summary>
    internal static void WriteCallsObeyTheRule(GeneratedState g, WriterFaults faults)
    {
        var expected = DumpSpecification.Expect(g.State);
        var run = Dumps.Write(g.State, faults);
        var calls = WriteCallSpecification.WriteCalls(expected.Dwrites, flush: expected.Throw is null);
        Check(run.Calls.SequenceEqual(calls), $"write calls differ from the 4096-byte rule at call #{FirstDifference(run.Calls, calls)}:\n  expected {Around(calls, run.Calls)}\n  actual   {Around(run.Calls, calls)}");
        Check(run.Calls.SkipLast(1).All(c => c <= WriteCallSpecification.BufferSize || expected.Dwrites.Contains(c)), "a write call larger than the buffer that is not one dwrite");
    }

    /// <summary>The concatenated write calls equal the record-level writer's encoding of the specified records.</summary>
    internal static void BufferedEqualsUnbuffered(GeneratedState g, WriterFaults faults)
    {
        var run = Dumps.Write(g.State, faults);
        var expected = DumpSpecification.Expect(g.State);
        var unbuffered = RecordWriter.ToBytes(expected.Header, expected.Records);
        var at = unbuffered.AsSpan().CommonPrefixLength(run.Bytes);
        Check(at == unbuffered.Length && at == run.Bytes.Length, $"buffered bytes differ from the unbuffered encoding at offset {at} ({run.Bytes.Length} vs {unbuffered.Length} bytes)");
    }

    private static int FirstDifference(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var i = 0;
        while (i < a.Count && i < b.Count && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string Around(IReadOnlyList<int> calls, IReadOnlyList<int> other)
    {
        var at = FirstDifference(calls, other);
        return $"[… {WriteCallSpecification.Describe(calls.Skip(Math.Max(0, at - 3)).Take(6))} …] ({calls.Count} calls)";
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
