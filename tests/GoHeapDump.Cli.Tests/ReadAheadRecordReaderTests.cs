namespace GoHeapDump.Cli.Tests;

public sealed class ReadAheadRecordReaderTests
{
    /// <summary>
    /// A reader of <paramref name="count"/> numbered records (the pointer is the index), each <paramref name="size"/>
    /// bytes of dump after a 16-byte header, then an EOF record, or <paramref name="failure"/> in place of record
    /// <paramref name="failAt"/>. Records what the read-ahead thread does with it.
    /// </summary>
    private sealed class ScriptedReader(int count, Func<int, long> size, int failAt = -1, Exception? failure = null) : IHeapDumpReader
    {
        private readonly object _gate = new();
        private int _next;
        private long _position = 16;

        public HeaderVersion Version => HeaderVersion.Go17;

        public long Position => Volatile.Read(ref _position);

        public long RecordIndex => _next;

        /// <summary>Records handed out so far (by the thread).</summary>
        public int Produced => Volatile.Read(ref _next);

        public bool Disposed { get; private set; }

        public int ReadsAfterDispose { get; private set; }

        /// <summary>Blocks every Read until set.</summary>
        public ManualResetEventSlim Gate { get; } = new(initialState: true);

        /// <summary>Reads begun.</summary>
        public int Entered => Volatile.Read(ref _entered);

        private int _entered;

        public HeapDumpRecord? Read()
        {
            Interlocked.Increment(ref _entered);
            Gate.Wait();
            lock (_gate)
            {
                if (Disposed)
                {
                    ReadsAfterDispose++;
                }
            }

            if (_next == failAt)
            {
                throw failure!;
            }

            if (_next > count)
            {
                return null;
            }

            HeapDumpRecord record = _next == count ? EofRecord.Instance : new OtherRootRecord(GoString.Empty, (ulong)_next);
            Volatile.Write(ref _position, _position + (_next == count ? 1 : size(_next)));
            Volatile.Write(ref _next, _next + 1);
            return record;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                Disposed = true;
            }
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(1);
        }
    }

    [Fact]
    public void Read_ManyBatches_SameRecordsPositionsAndIndicesThenNullForever()
    {
        // Records of 1 to 64 bytes: many batches, some ended by the byte bound and, with 1-byte records, by the record bound.
        static long Size(int i) => i < 20_000 ? 1 : 1 + (i % 64);
        var count = 60_000;
        var expected = new ScriptedReader(count, Size);
        using var reader = new ReadAheadRecordReader(new ScriptedReader(count, Size));

        Assert.Equal(HeaderVersion.Go17, reader.Version);
        Assert.Equal(16, reader.Position);
        for (var i = 0; i <= count; i++)
        {
            var want = expected.Read();
            var got = reader.Read();
            Assert.Equal(want, got);
            Assert.Equal(expected.Position, reader.Position);
            Assert.Equal(expected.RecordIndex, reader.RecordIndex);
        }

        Assert.Null(reader.Read());
        Assert.Null(reader.Read());
        Assert.Equal(count + 1, reader.RecordIndex);
    }

    [Fact]
    public void Read_ReaderThrows_SameExceptionAfterExactlyTheRecordsBeforeIt_AndAgainOnTheNextRead()
    {
        var failure = new HeapDumpFormatException(StructureRules.Truncated, "cut", 12_345, 9_000, RecordKind.Object, null);
        using var reader = new ReadAheadRecordReader(new ScriptedReader(20_000, _ => 5, failAt: 9_000, failure: failure));

        for (var i = 0; i < 9_000; i++)
        {
            Assert.Equal((ulong)i, Assert.IsType<OtherRootRecord>(reader.Read()).Pointer);
        }

        Assert.Same(failure, Assert.Throws<HeapDumpFormatException>(() => reader.Read()));
        Assert.Same(failure, Assert.Throws<HeapDumpFormatException>(() => reader.Read()));
        Assert.Equal(16 + (9_000 * 5), reader.Position);
        Assert.Equal(9_000, reader.RecordIndex);
    }

    [Fact]
    public void Read_ReaderThrowsOnTheFirstRecord_ExceptionOfAnyTypeComesThrough()
    {
        var failure = new IOException("disk");
        using var reader = new ReadAheadRecordReader(new ScriptedReader(10, _ => 5, failAt: 0, failure: failure));

        Assert.Same(failure, Assert.Throws<IOException>(() => reader.Read()));
    }

    [Fact]
    public void ReadAhead_CallerStops_ThreadStopsWithinTheBound()
    {
        // 100-byte records: the thread may run ahead by MaxAheadBytes, plus the batch it started just below that.
        var inner = new ScriptedReader(1_000_000, _ => 100);
        using var reader = new ReadAheadRecordReader(inner);

        reader.Read();
        WaitUntil(() => inner.Produced > 0);
        Thread.Sleep(200);
        var aheadBytes = inner.Position - reader.Position;
        Assert.InRange(aheadBytes, 1, ReadAheadRecordReader.MaxAheadBytes + ReadAheadRecordReader.BatchBytes + 100);

        // Consuming lets it go on.
        var produced = inner.Produced;
        for (var i = 0; i < 10_000; i++)
        {
            reader.Read();
        }

        WaitUntil(() => inner.Produced > produced + 5_000);
    }

    [Fact]
    public void ReadAhead_HugeRecords_NoneReadBeforeTheCallerIsDoneWithThePreviousOne()
    {
        // Every record is larger than the whole bound: each makes a batch of its own, which holds the thread back until the
        // caller asks for the record after it. So a dump of huge records costs the memory of one at a time, as without read-ahead.
        var huge = ReadAheadRecordReader.MaxAheadBytes * 3;
        var inner = new ScriptedReader(100, _ => huge);
        using var reader = new ReadAheadRecordReader(inner);

        WaitUntil(() => inner.Produced >= 1);
        Thread.Sleep(200);
        Assert.Equal(1, inner.Produced);

        Assert.Equal(0ul, Assert.IsType<OtherRootRecord>(reader.Read()).Pointer);
        Thread.Sleep(200);
        Assert.Equal(1, inner.Produced);

        Assert.Equal(1ul, Assert.IsType<OtherRootRecord>(reader.Read()).Pointer);
        Thread.Sleep(200);
        Assert.Equal(2, inner.Produced);
    }

    [Fact]
    public void Dispose_ThreadInsideARead_WaitsForItThenDisposesTheReaderAndReadsNoMore()
    {
        var inner = new ScriptedReader(1_000_000, _ => 100);
        inner.Gate.Reset();
        var reader = new ReadAheadRecordReader(inner);
        WaitUntil(() => inner.Entered == 1);

        var disposing = new Thread(reader.Dispose);
        disposing.Start();
        Assert.False(disposing.Join(100)); // the thread is inside Read: the reader stays open until it is out
        Assert.False(inner.Disposed);
        inner.Gate.Set();
        Assert.True(disposing.Join(TimeSpan.FromSeconds(10)));

        Assert.True(inner.Disposed);
        Assert.Equal(0, inner.ReadsAfterDispose);
        // It stopped after the record it was reading, not at the end of its batch.
        Assert.Equal(1, inner.Produced);
    }

    [Fact]
    public void Dispose_BeforeAnyRead_StopsAWaitingThread()
    {
        var inner = new ScriptedReader(1_000_000, _ => 100);
        var reader = new ReadAheadRecordReader(inner);
        WaitUntil(() => inner.Produced > 0);

        var disposing = new Thread(reader.Dispose);
        disposing.Start();
        Assert.True(disposing.Join(TimeSpan.FromSeconds(10)));
        Assert.True(inner.Disposed);
        Assert.Equal(0, inner.ReadsAfterDispose);
    }
}
