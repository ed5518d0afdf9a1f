using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// Standard input read ahead (ValidationOptions.ReadAheadUnseekable, the CLI's <c>validate -</c>): the report of every
/// corpus dump, valid or not, cut or whole, with contents skipped or not, is the one reading the pipe on one thread gives.
/// </summary>
public class PipeReadAheadTests
{
    private static ValidationReport Validate(byte[] dump, bool readAhead, int bufferSize, int chunk, long contentsLimit = 16 << 20)
    {
        var pipe = new ThreadsSeen(new PipeStream(dump, chunk));
        var report = HeapDumpValidator.Validate(pipe, "<stdin>", new ValidationOptions
        {
            BufferSize = bufferSize,
            ContentsLimit = contentsLimit,
            ReadAheadUnseekable = readAhead,
        });

        // Read on another thread exactly when asked (a machine of one core never reads ahead).
        Assert.Equal(readAhead && Environment.ProcessorCount > 1, pipe.ReadElsewhere);
        return report;
    }

    [Fact]
    public void Corpus_SameReport_AsWithoutReadAhead()
    {
        var dumps = Directory.GetFiles(RepositoryRoot.Under("fixtures", "valid"), "*.dump")
            .Concat(Directory.GetFiles(RepositoryRoot.Under("fixtures", "invalid"), "*.dump"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(dumps.Count > 100, $"only {dumps.Count} dumps under fixtures/");
        var random = new Random(1);
        foreach (var path in dumps)
        {
            var bytes = File.ReadAllBytes(path);
            var size = random.Next(2) == 0 ? HeapDumpReader.MinimumBufferSize : 256;
            var chunk = random.Next(1, 1000);
            var limit = random.Next(2) == 0 ? 16L << 20 : 8;
            Assert.Equal(ObjectLaneTests.Render(Validate(bytes, false, size, chunk, limit)), ObjectLaneTests.Render(Validate(bytes, true, size, chunk, limit)));
        }
    }

    /// <summary>The dumps Go releases wrote, whole and cut short anywhere (S07 at the synchronous reader's offset, with its message).</summary>
    [Fact]
    public void RealDumps_WholeAndCut_SameReport()
    {
        var random = new Random(2);
        foreach (var dump in TestDumps.Real())
        {
            foreach (var bytes in new[] { dump, dump[..random.Next(HeapDumpFormat.HeaderLength, dump.Length)] })
            {
                var size = 1 << random.Next(12, 16);
                var chunk = random.Next(1, 70_000);
                var limit = random.Next(2) == 0 ? 16L << 20 : 64;
                Assert.Equal(ObjectLaneTests.Render(Validate(bytes, false, size, chunk, limit)), ObjectLaneTests.Render(Validate(bytes, true, size, chunk, limit)));
            }
        }
    }

    /// <summary>A stream that cannot seek, noting whether it was read on a thread other than the one that made it.</summary>
    private sealed class ThreadsSeen(Stream inner) : Stream
    {
        private readonly int _maker = Environment.CurrentManagedThreadId;

        public bool ReadElsewhere { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadElsewhere |= Environment.CurrentManagedThreadId != _maker;
            return inner.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
