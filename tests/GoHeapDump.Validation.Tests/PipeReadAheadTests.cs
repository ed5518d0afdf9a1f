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
        var pipe = new PipeStream(dump, chunk);
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
        var random = new Random(1);
        foreach (var path in ObjectLaneTests.CorpusDumps())
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
}
