namespace GoHeapDump.Cli.Tests;

/// <summary>
/// <see cref="JsonlPipeline"/> renders batches on the thread pool: whatever the batching, the bytes must be those of
/// the one-by-one loop it replaced, and a reader's failure must come after every record before it.
/// </summary>
public sealed class JsonlPipelineTests
{
    // 30,000 records of 100 bytes: several 512 KiB batches, the last one partial.
    private const int Records = 30_000;

    private static ObjectRecord Record(int i) =>
        new ObjectRecord(0xc000000000UL + ((ulong)i * 16), new GoString([(byte)i, (byte)(i >> 8), 0xab]), new[] { new Field(FieldKind.Ptr, (ulong)i % 3 * 8) });

    /// <summary>The one-by-one rendering of the first <paramref name="count"/> records, and the EOF record if <paramref name="eof"/>.</summary>
    private static byte[] Sequential(int count, bool eof = false)
    {
        using var stream = new MemoryStream();
        using (var jsonl = new CanonicalJsonlWriter(stream, leaveOpen: true))
        {
            for (var i = 0; i < count; i++)
            {
                jsonl.WriteRecord(Record(i));
            }

            if (eof)
            {
                jsonl.WriteRecord(EofRecord.Instance);
            }
        }

        return stream.ToArray();
    }

    [Fact]
    public void Write_ManyBatches_SameBytesAsOneByOne()
    {
        using var reader = new ScriptedReader(Records, failure: null);
        using var output = new MemoryStream();

        Assert.Null(JsonlPipeline.Write(reader, output));

        Assert.Equal(Sequential(Records, eof: true), output.ToArray());
    }

    [Fact]
    public void Write_FormatErrorAfterSeveralBatches_WritesEveryRecordBeforeItAndReturnsIt()
    {
        var error = new HeapDumpFormatException(StructureRules.Truncated, "input ends inside a record", 2_000_000, 20_000, RecordKind.Object, null);
        using var reader = new ScriptedReader(20_000, error);
        using var output = new MemoryStream();

        Assert.Same(error, JsonlPipeline.Write(reader, output));

        Assert.Equal(Sequential(20_000), output.ToArray());
    }

    [Fact]
    public void Write_IOErrorOfTheInput_WritesEveryRecordBeforeItThenThrowsIt()
    {
        using var reader = new ScriptedReader(12_345, new IOException("input device failed"));
        using var output = new MemoryStream();

        var thrown = Assert.Throws<IOException>(() => JsonlPipeline.Write(reader, output));

        Assert.Equal("input device failed", thrown.Message);
        Assert.Equal(Sequential(12_345), output.ToArray());
    }

    [Fact]
    public void Write_OutputFails_ThrowsTheOutputsErrorWithoutReadingOn()
    {
        using var reader = new ScriptedReader(Records, failure: null);
        using var output = new FailingStream();

        Assert.Throws<IOException>(() => JsonlPipeline.Write(reader, output));

        Assert.True(reader.Read() is not null, "the pipeline went on reading to the end after the output failed");
    }

    /// <summary>Yields <c>count</c> records of 100 bytes each, then the EOF record or the failure.</summary>
    private sealed class ScriptedReader(int count, Exception? failure) : IHeapDumpReader
    {
        private int _next;

        public HeaderVersion Version => HeaderVersion.Go17;

        public long Position => 16 + (_next * 100L);

        public long RecordIndex => _next;

        public HeapDumpRecord? Read()
        {
            if (_next < count)
            {
                return Record(_next++);
            }

            if (failure is not null)
            {
                throw failure;
            }

            return _next++ == count ? EofRecord.Instance : null;
        }

        public void Dispose()
        {
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("broken pipe");
    }
}
