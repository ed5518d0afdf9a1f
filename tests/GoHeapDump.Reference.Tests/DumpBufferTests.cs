namespace GoHeapDump.Reference.Tests;

/// <summary>The 4096-byte buffer, call for call (Go: heapdump.go dwrite, flush).</summary>
public class DumpBufferTests
{
    private static (DumpBuffer Buffer, RecordingDumpSink Sink) New()
    {
        var sink = new RecordingDumpSink();
        return (new DumpBuffer(sink), sink);
    }

    private static byte[] Bytes(int n, byte value) => Enumerable.Repeat(value, n).ToArray();

    [Fact]
    public void Write_Exactly4096IntoEmptyBuffer_IsBufferedUntilFlush()
    {
        var (b, sink) = New();
        b.Write(Bytes(4095, 1));
        b.Write(Bytes(1, 2)); // 4095 + 1 = 4096: still fits
        Assert.Empty(sink.CallLengths);
        Assert.Equal(4096, b.Pending);

        b.Flush();
        Assert.Equal([4096], sink.CallLengths);
    }

    [Fact]
    public void Write_OneByteIntoFullBuffer_WritesTheBufferThenBuffersTheByte()
    {
        var (b, sink) = New();
        b.Write(Bytes(4096, 1));
        b.Write(Bytes(1, 2)); // 4096 + 1
        Assert.Equal([4096], sink.CallLengths);
        Assert.Equal(1, b.Pending);
        b.Flush();
        Assert.Equal([4096, 1], sink.CallLengths);
        Assert.Equal([.. Bytes(4096, 1), 2], sink.ToArray());
    }

    [Fact]
    public void Write_4096IntoEmptyBuffer_IsBuffered()
    {
        var (b, sink) = New();
        b.Write(Bytes(4096, 7)); // nbuf + len <= bufSize: buffered, even though len == bufSize
        Assert.Empty(sink.CallLengths);
        Assert.Equal(4096, b.Pending);
    }

    [Fact]
    public void Write_4097IntoEmptyBuffer_MakesAnEmptyWriteThenWritesStraightThrough()
    {
        var (b, sink) = New();
        b.Write(Bytes(4097, 7)); // does not fit an empty buffer: flush (0 bytes), then the data itself
        Assert.Equal([0, 4097], sink.CallLengths);
        Assert.Equal(0, b.Pending);
    }

    [Fact]
    public void Write_BufferSizeAfterPendingBytes_FlushesPendingThenWritesStraightThrough()
    {
        var (b, sink) = New();
        b.Write(Bytes(10, 1));
        b.Write(Bytes(4096, 2));
        Assert.Equal([10, 4096], sink.CallLengths);
        Assert.Equal(0, b.Pending);
    }

    [Fact]
    public void Write_SmallWriteThatDoesNotFit_StartsTheNextBuffer()
    {
        var (b, sink) = New();
        b.Write(Bytes(4000, 1));
        b.Write(Bytes(200, 2)); // 4200 > 4096 and 200 < 4096: flush 4000, buffer 200
        Assert.Equal([4000], sink.CallLengths);
        Assert.Equal(200, b.Pending);
    }

    [Fact]
    public void Write_Empty_NoCallNoFlush()
    {
        var (b, sink) = New();
        b.Write(Bytes(4096, 1));
        b.Write([]); // Go: dwrite returns early for len 0
        Assert.Empty(sink.CallLengths);
        Assert.Equal(4096, b.Pending);
    }

    [Fact]
    public void Flush_EmptyBuffer_MakesAnEmptyWrite()
    {
        var (b, sink) = New();
        b.Flush();
        Assert.Equal([0], sink.CallLengths);
    }

    [Fact]
    public void WriteByte_FullBuffer_FlushesFirst()
    {
        var (b, sink) = New();
        b.Write(Bytes(4096, 1));
        b.WriteByte(0x2e);
        Assert.Equal([4096], sink.CallLengths);
        Assert.Equal(1, b.Pending);
    }

    [Fact]
    public void WriteUvarint_FitsExactlyAtTheEnd_IsBuffered()
    {
        var (b, sink) = New();
        b.Write(Bytes(4090, 1));
        b.WriteUvarint(0xc000000000); // 6 bytes: 4090 + 6 = 4096
        Assert.Empty(sink.CallLengths);
        b.Flush();
        Assert.Equal([.. Bytes(4090, 1), 0x80, 0x80, 0x80, 0x80, 0x80, 0x18], sink.ToArray());
    }

    [Fact]
    public void WriteUvarint_OneByteTooLong_MovesWholeToNextBuffer()
    {
        var (b, sink) = New();
        b.Write(Bytes(4091, 1));
        b.WriteUvarint(0xc000000000); // 6 bytes: 4097 > 4096, the uvarint is one dwrite
        Assert.Equal([4091], sink.CallLengths);
        Assert.Equal(6, b.Pending);
    }

    [Fact]
    public void WriteUvarint_TenBytesNearTheEnd_IsNotSplit()
    {
        var (b, sink) = New();
        b.Write(Bytes(4087, 1));
        b.WriteUvarint(ulong.MaxValue); // 10 bytes: 4097
        b.Flush();
        Assert.Equal([4087, 10], sink.CallLengths);
        Assert.Equal([.. Bytes(4087, 1), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], sink.ToArray());
    }

    [Fact]
    public void BytesWritten_CountsWhatTheSinkReceived()
    {
        var (b, _) = New();
        b.Write(Bytes(4000, 1));
        b.Write(Bytes(5000, 1));
        Assert.Equal(9000, b.BytesWritten);
        b.WriteByte(1);
        Assert.Equal(9000, b.BytesWritten);
    }
}
