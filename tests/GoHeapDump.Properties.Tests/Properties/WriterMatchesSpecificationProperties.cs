using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Reference;
using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>
/// Writer → Kaitai parser against the specification function: the parse consumes every byte, ends at EOF,
/// and yields exactly the records DumpSpecification.Expect derives from the model. For states the runtime
/// cannot dump, the writer fails with InvalidRuntimeStateException carrying the runtime's throw message, after
/// writing exactly the bytes the runtime's write calls would have made.
/// </summary>
public sealed class WriterMatchesSpecificationProperties
{
    internal const int QuickCases = 150;

    [Fact]
    public void Writer_ValidState_KaitaiParseEqualsSpecification() =>
        PropertyRunner.Check(nameof(Writer_ValidState_KaitaiParseEqualsSpecification), HeapArbitraries.ValidState(), g => ParseEqualsSpecification(g, WriterFaults.None), QuickCases);

    [Fact]
    public void Writer_FatalState_ThrowsTypedAfterTheSpecifiedBytes() =>
        PropertyRunner.Check(nameof(Writer_FatalState_ThrowsTypedAfterTheSpecifiedBytes), HeapArbitraries.FatalState(), g => ParseEqualsSpecification(g, WriterFaults.None), QuickCases / 2);

    /// <summary>The property body (also run with faults by <see cref="FaultInjectionTests"/>).</summary>
    internal static void ParseEqualsSpecification(GeneratedState g, WriterFaults faults)
    {
        var expected = DumpSpecification.Expect(g.State);
        var run = Dumps.Write(g.State, faults);
        if (expected.Throw is { } fatal)
        {
            if (run.Fatal is null)
            {
                throw new InvalidOperationException($"the runtime dies here ({fatal.GoThrow}) but the writer completed the dump");
            }

            Check(run.Fatal.GoThrow == fatal.GoThrow, $"writer threw '{run.Fatal.GoThrow}', the runtime throws '{fatal.GoThrow}'");
            Check(run.Fatal.RuntimePrint == fatal.RuntimePrint, $"writer reports the runtime printed '{run.Fatal.RuntimePrint}', it prints '{fatal.RuntimePrint}'");

            // What reached the file: the write calls made before the throw (the buffer is never flushed).
            var written = WriteCallSpecification.WriteCalls(expected.Dwrites, flush: false).Sum();
            Check(run.Bytes.Length == written && run.Fatal.BytesWritten == written, $"{run.Bytes.Length} bytes written before the throw (reported {run.Fatal.BytesWritten}), the runtime's write calls make {written}");
            var partial = Dumps.ParseKaitai(run.Bytes);
            var diff = Dumps.Diff(expected.Records.Take(partial.Records.Count).ToList(), partial.Records);
            Check(diff is null, $"records before the throw: {diff}");
            return;
        }

        Check(run.Fatal is null, $"writer threw {run.Fatal}, but the runtime dumps this state");
        Check(run.Bytes.AsSpan().StartsWith(HeapDumpFormat.HeaderBytes(expected.Header)), $"the dump does not start with the {expected.Header} header of go{g.State.Release}");
        var parse = Dumps.ParseKaitai(run.Bytes);
        Check(parse.Error is null, $"the Kaitai parser rejects the writer's dump: {parse.Error?.Message}");
        Check(parse.Position == run.Bytes.Length, $"the parse stopped at {parse.Position} of {run.Bytes.Length} bytes");
        Check(parse.Records.Count > 0 && parse.Records[^1] is EofRecord, "the parse does not end with the EOF record");
        var mismatch = Dumps.Diff(expected.Records, parse.Records);
        Check(mismatch is null, $"parsed records differ from the specification: {mismatch}");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
