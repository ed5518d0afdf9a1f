using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>The sinks pass on exactly the write calls they receive (forwarding to an inner sink had no test).</summary>
public sealed class DumpSinkTests
{
    [Fact]
    public void RecordingDumpSink_WithInner_ForwardsEveryCallUnchanged()
    {
        var inner = new RecordingDumpSink();
        using var ms = new MemoryStream();
        var outer = new RecordingDumpSink(new RecordingDumpSinkTee(inner, DumpSink.ToStream(ms)));
        outer.Write([1, 2, 3]);
        outer.Write([]);
        outer.Write(new byte[5000]);

        Assert.Equal([3, 0, 5000], outer.CallLengths);
        Assert.Equal([3, 0, 5000], inner.CallLengths);
        Assert.Equal(outer.ToArray(), inner.ToArray());
        Assert.Equal(outer.ToArray(), ms.ToArray());
        Assert.Equal(5003, ms.Length);
    }

    [Fact]
    public void Write_ThroughStreamSink_EqualsRecordedBytes()
    {
        var state = new RuntimeState(RuntimePlatform.ForArch("arm"));
        var recorded = Fixture.Record(state).ToArray();
        using var ms = new MemoryStream();
        HeapDumpWriter.Write(state, DumpSink.ToStream(ms));
        Assert.Equal(recorded, ms.ToArray());
        Assert.Equal(recorded, HeapDumpWriter.ToBytes(state));
    }

    /// <summary>Sends each call to two sinks.</summary>
    private sealed class RecordingDumpSinkTee(DumpSink a, DumpSink b) : DumpSink
    {
        public override void Write(ReadOnlySpan<byte> data)
        {
            a.Write(data);
            b.Write(data);
        }
    }
}
